-- AlterTable
ALTER TABLE "site_catalog_entries" ADD COLUMN     "superseded_since" TIMESTAMPTZ(3);

-- The entries an incremental apply re-decides besides what the delta touches: superseded, not yet expired. Existing
-- rows have no date yet (NULL): the next apply of each site re-decides them all once and records it.
CREATE INDEX "site_catalog_entries_waiting_idx" ON "site_catalog_entries" ("site_code", "superseded_since")
  WHERE "is_superseded" AND NOT "is_expired";

-- Each site's apply adds its entries' filter tags here while the other sites' runs do the same. With GIN's pending
-- list (fastupdate) they queue on one list, and whichever insert fills it merges all of it into the index inside
-- its own transaction: a child run's 150-row apply then sometimes takes seconds. Inserted into the tree directly,
-- each costs a little more and none waits on the others.
ALTER INDEX "site_catalog_entries_list_tags_idx" SET (fastupdate = off);
