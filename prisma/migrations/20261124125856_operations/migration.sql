-- AlterTable
ALTER TABLE "software_update_points" ADD COLUMN     "retry_at" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "sup_settings" ADD COLUMN     "audit_retention_days" INTEGER NOT NULL DEFAULT 365,
ADD COLUMN     "next_sync_at" TIMESTAMPTZ(3),
ADD COLUMN     "proxy_password_encrypted" TEXT,
ADD COLUMN     "proxy_url" TEXT,
ADD COLUMN     "proxy_username" TEXT,
ADD COLUMN     "retry_minutes" INTEGER NOT NULL DEFAULT 60,
ADD COLUMN     "run_retention_days" INTEGER NOT NULL DEFAULT 90,
ADD COLUMN     "schedule" JSONB NOT NULL DEFAULT '{"kind":"simple","every":7,"unit":"days","timeZone":"UTC"}',
ADD COLUMN     "schedule_enabled" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "schedules_paused" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "schedules_paused_at" TIMESTAMPTZ(3),
ADD COLUMN     "schedules_paused_by" TEXT,
ADD COLUMN     "smtp_from" TEXT,
ADD COLUMN     "smtp_host" TEXT,
ADD COLUMN     "smtp_password_encrypted" TEXT,
ADD COLUMN     "smtp_port" INTEGER NOT NULL DEFAULT 587,
ADD COLUMN     "smtp_secure" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "smtp_username" TEXT,
ADD COLUMN     "stalled_minutes" INTEGER NOT NULL DEFAULT 30,
ADD COLUMN     "status_message_retention_days" INTEGER NOT NULL DEFAULT 30,
ADD COLUMN     "sync_failure_alert" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "upstream_ca_bundle" TEXT;

-- AlterTable
ALTER TABLE "sync_runs" ADD COLUMN     "stalled_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "notification_subscriptions" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "targets" TEXT[],
    "secret_encrypted" TEXT,
    "events" TEXT[],
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by" TEXT,

    CONSTRAINT "notification_subscriptions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notification_deliveries" (
    "id" UUID NOT NULL,
    "subscription_id" UUID NOT NULL,
    "event" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "delivered_at" TIMESTAMPTZ(3),

    CONSTRAINT "notification_deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "notification_deliveries_state_next_attempt_at_idx" ON "notification_deliveries"("state", "next_attempt_at");

-- CreateIndex
CREATE INDEX "notification_deliveries_subscription_id_created_at_idx" ON "notification_deliveries"("subscription_id", "created_at");

-- AddForeignKey
ALTER TABLE "notification_deliveries" ADD CONSTRAINT "notification_deliveries_subscription_id_fkey" FOREIGN KEY ("subscription_id") REFERENCES "notification_subscriptions"("id") ON DELETE CASCADE ON UPDATE CASCADE;
