-- CreateIndex
CREATE INDEX "update_revisions_superseded_update_ids_idx" ON "update_revisions" USING GIN ("superseded_update_ids");
