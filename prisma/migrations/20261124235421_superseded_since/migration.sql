-- AlterTable
ALTER TABLE "site_catalog_entries" ADD COLUMN     "superseded_since" TIMESTAMPTZ(3);

-- The entries an incremental apply re-decides besides what the delta touches: superseded, not yet expired. Existing
-- rows have no date yet (NULL): the next apply of each site re-decides them all once and records it.
CREATE INDEX "site_catalog_entries_waiting_idx" ON "site_catalog_entries" ("site_code", "superseded_since")
  WHERE "is_superseded" AND NOT "is_expired";
