-- AlterTable
ALTER TABLE "software_update_points" ADD COLUMN     "entries_removed_in_version" INTEGER NOT NULL DEFAULT 0;

-- Removals before this column existed are unknown: every child's next sync from an existing site lists everything once.
UPDATE "software_update_points" SET "entries_removed_in_version" = "catalog_version";
