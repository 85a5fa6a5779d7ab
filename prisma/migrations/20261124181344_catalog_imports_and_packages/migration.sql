-- AlterTable
ALTER TABLE "sync_runs" ADD COLUMN     "package_id" UUID;

-- CreateTable
CREATE TABLE "imported_updates" (
    "update_id" UUID NOT NULL,
    "revision_number" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "kb_article_ids" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "reason" TEXT NOT NULL DEFAULT 'basket',
    "required_by" UUID,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "error_code" TEXT,
    "error_message" TEXT,
    "imported_revision" INTEGER,
    "run_id" UUID,
    "requested_by" TEXT,
    "requested_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "imported_at" TIMESTAMPTZ(3),

    CONSTRAINT "imported_updates_pkey" PRIMARY KEY ("update_id")
);

-- CreateTable
CREATE TABLE "update_packages" (
    "id" UUID NOT NULL,
    "file_name" TEXT NOT NULL,
    "size_bytes" BIGINT NOT NULL,
    "sha256" TEXT NOT NULL,
    "manifest" JSONB NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'uploaded',
    "error_code" TEXT,
    "error_message" TEXT,
    "uploaded_by" TEXT,
    "uploaded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "update_packages_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "imported_updates_state_idx" ON "imported_updates"("state");

-- AddForeignKey
ALTER TABLE "sync_runs" ADD CONSTRAINT "sync_runs_package_id_fkey" FOREIGN KEY ("package_id") REFERENCES "update_packages"("id") ON DELETE SET NULL ON UPDATE CASCADE;
