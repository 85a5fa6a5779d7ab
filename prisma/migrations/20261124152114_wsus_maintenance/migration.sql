-- AlterTable
ALTER TABLE "sup_settings" ADD COLUMN     "obsolete_revisions_resume_after" TEXT,
ADD COLUMN     "remove_obsolete_revisions" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "update_revisions" ADD COLUMN     "obsolete_since" TIMESTAMPTZ(3);

-- CreateIndex
CREATE INDEX "site_catalog_entries_update_id_revision_number_idx" ON "site_catalog_entries"("update_id", "revision_number");

-- Added by hand (Prisma cannot express partial indexes): the few revisions a maintenance pass marked obsolete, so
-- that a run unmarking what it found stored looks only at them, and a run with nothing marked costs no more than before.
CREATE INDEX "update_revisions_obsolete_idx" ON "update_revisions"("update_id", "revision_number") WHERE "obsolete_since" IS NOT NULL;
