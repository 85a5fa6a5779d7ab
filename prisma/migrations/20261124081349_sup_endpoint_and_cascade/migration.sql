-- AlterTable
ALTER TABLE "software_update_points" ADD COLUMN     "resync_requested" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "update_revisions" ADD COLUMN     "default_language" TEXT NOT NULL DEFAULT 'en',
ADD COLUMN     "is_beta" BOOLEAN;
