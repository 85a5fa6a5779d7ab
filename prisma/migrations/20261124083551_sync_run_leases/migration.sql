-- AlterTable
ALTER TABLE "sync_runs" ADD COLUMN     "lease_expires_at" TIMESTAMPTZ(3),
ADD COLUMN     "resumes" INTEGER NOT NULL DEFAULT 0;
