-- CreateIndex
CREATE INDEX "update_revisions_creation_date_update_id_idx" ON "update_revisions"("creation_date" DESC, "update_id");
