-- CreateIndex
CREATE INDEX "sync_runs_sup_id_queued_at_idx" ON "sync_runs"("sup_id", "queued_at" DESC);

-- CreateIndex
CREATE INDEX "sync_runs_sup_id_finished_at_idx" ON "sync_runs"("sup_id", "finished_at" DESC);
