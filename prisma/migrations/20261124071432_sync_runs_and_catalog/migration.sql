-- CreateEnum
CREATE TYPE "run_state" AS ENUM ('queued', 'running', 'canceling', 'succeeded', 'failed', 'canceled');

-- AlterTable
ALTER TABLE "software_update_points" ADD COLUMN     "anchor" TEXT,
ADD COLUMN     "last_successful_sync_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "sup_settings" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "sync_source" "sync_source" NOT NULL DEFAULT 'microsoft-update',
    "upstream_url" TEXT,
    "products" UUID[],
    "classifications" UUID[],
    "languages" TEXT[],
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "sup_settings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "categories" (
    "id" UUID NOT NULL,
    "revision_number" INTEGER NOT NULL,
    "category_type" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "parent_ids" UUID[],
    "first_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "categories_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "update_revisions" (
    "update_id" UUID NOT NULL,
    "revision_number" INTEGER NOT NULL,
    "update_type" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT,
    "localized" JSONB NOT NULL,
    "languages" TEXT[],
    "kb_article_ids" TEXT[],
    "security_bulletin_ids" TEXT[],
    "cve_ids" TEXT[],
    "msrc_severity" TEXT,
    "classification_ids" UUID[],
    "product_ids" UUID[],
    "creation_date" TIMESTAMPTZ(3) NOT NULL,
    "publication_state" TEXT NOT NULL,
    "is_bundle" BOOLEAN NOT NULL,
    "bundled_updates" JSONB NOT NULL,
    "superseded_update_ids" UUID[],
    "prerequisite_ids" UUID[],
    "files" JSONB NOT NULL,
    "support_url" TEXT,
    "more_info_url" TEXT,
    "max_download_size" BIGINT,
    "max_run_time_minutes" INTEGER,
    "stored_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "update_revisions_pkey" PRIMARY KEY ("update_id","revision_number")
);

-- CreateTable
CREATE TABLE "site_catalog_entries" (
    "site_code" VARCHAR(3) NOT NULL,
    "update_id" UUID NOT NULL,
    "revision_number" INTEGER NOT NULL,
    "is_expired" BOOLEAN NOT NULL DEFAULT false,
    "is_superseded" BOOLEAN NOT NULL DEFAULT false,
    "version" INTEGER NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "site_catalog_entries_pkey" PRIMARY KEY ("site_code","update_id")
);

-- CreateTable
CREATE TABLE "sync_runs" (
    "id" UUID NOT NULL,
    "site_code" VARCHAR(3) NOT NULL,
    "sup_id" UUID NOT NULL,
    "trigger" TEXT NOT NULL,
    "full_sync" BOOLEAN NOT NULL DEFAULT false,
    "state" "run_state" NOT NULL DEFAULT 'queued',
    "phase" TEXT,
    "processed" INTEGER NOT NULL DEFAULT 0,
    "total" INTEGER NOT NULL DEFAULT 0,
    "percent" INTEGER NOT NULL DEFAULT 0,
    "eta_seconds" INTEGER,
    "waiting_reason" TEXT,
    "count_new" INTEGER NOT NULL DEFAULT 0,
    "count_revised" INTEGER NOT NULL DEFAULT 0,
    "count_expired" INTEGER NOT NULL DEFAULT 0,
    "count_superseded" INTEGER NOT NULL DEFAULT 0,
    "count_removed" INTEGER NOT NULL DEFAULT 0,
    "error_code" TEXT,
    "error_message" TEXT,
    "requested_by" TEXT,
    "catalog_version_before" INTEGER,
    "catalog_version_after" INTEGER,
    "queued_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "last_progress_at" TIMESTAMPTZ(3),
    "worker_id" TEXT,

    CONSTRAINT "sync_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "status_messages" (
    "id" BIGSERIAL NOT NULL,
    "site_code" VARCHAR(3) NOT NULL,
    "run_id" UUID,
    "message_id" INTEGER NOT NULL,
    "severity" TEXT NOT NULL,
    "component" TEXT NOT NULL,
    "time" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "insertion_strings" TEXT[],

    CONSTRAINT "status_messages_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sync_log_lines" (
    "id" BIGSERIAL NOT NULL,
    "run_id" UUID NOT NULL,
    "time" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "severity" TEXT NOT NULL,
    "thread" INTEGER NOT NULL,
    "text" TEXT NOT NULL,

    CONSTRAINT "sync_log_lines_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "categories_category_type_idx" ON "categories"("category_type");

-- CreateIndex
CREATE INDEX "site_catalog_entries_site_code_version_idx" ON "site_catalog_entries"("site_code", "version");

-- CreateIndex
CREATE INDEX "sync_runs_site_code_queued_at_idx" ON "sync_runs"("site_code", "queued_at");

-- CreateIndex
CREATE INDEX "sync_runs_state_idx" ON "sync_runs"("state");

-- CreateIndex
CREATE INDEX "status_messages_site_code_time_idx" ON "status_messages"("site_code", "time");

-- CreateIndex
CREATE INDEX "status_messages_run_id_idx" ON "status_messages"("run_id");

-- CreateIndex
CREATE INDEX "sync_log_lines_run_id_id_idx" ON "sync_log_lines"("run_id", "id");

-- AddForeignKey
ALTER TABLE "site_catalog_entries" ADD CONSTRAINT "site_catalog_entries_site_code_fkey" FOREIGN KEY ("site_code") REFERENCES "sites"("code") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sync_runs" ADD CONSTRAINT "sync_runs_site_code_fkey" FOREIGN KEY ("site_code") REFERENCES "sites"("code") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sync_runs" ADD CONSTRAINT "sync_runs_sup_id_fkey" FOREIGN KEY ("sup_id") REFERENCES "software_update_points"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "status_messages" ADD CONSTRAINT "status_messages_site_code_fkey" FOREIGN KEY ("site_code") REFERENCES "sites"("code") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "status_messages" ADD CONSTRAINT "status_messages_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "sync_runs"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sync_log_lines" ADD CONSTRAINT "sync_log_lines_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "sync_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Added by hand (Prisma cannot express partial indexes): at most one queued, running or canceling run per site, so
-- two concurrent "Synchronize Software Updates" requests cannot both create one.
CREATE UNIQUE INDEX "sync_runs_one_active_per_site" ON "sync_runs"("site_code") WHERE "state" IN ('queued', 'running', 'canceling');

-- Added by hand: ordering for socket events across processes (every event carries a seq).
CREATE SEQUENCE "realtime_event_seq";

-- Added by hand: the table @socket.io/postgres-adapter would create at start-up; created here so that several API
-- processes starting at once do not race on it.
CREATE TABLE IF NOT EXISTS "socket_io_attachments" (
    "id" BIGSERIAL UNIQUE,
    "created_at" TIMESTAMPTZ DEFAULT NOW(),
    "payload" BYTEA
);
