-- CreateEnum
CREATE TYPE "AlertState" AS ENUM ('active', 'acknowledged', 'canceled');

-- AlterTable
ALTER TABLE "categories" ADD COLUMN     "is_new" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "alerts" (
    "id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "state" "AlertState" NOT NULL DEFAULT 'active',
    "site_code" VARCHAR(3),
    "title" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "details" JSONB,
    "raised_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "acknowledged_at" TIMESTAMPTZ(3),
    "acknowledged_by" TEXT,
    "canceled_at" TIMESTAMPTZ(3),

    CONSTRAINT "alerts_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "alerts_state_raised_at_idx" ON "alerts"("state", "raised_at");

-- CreateIndex
CREATE INDEX "alerts_key_idx" ON "alerts"("key");

-- One open (active or acknowledged) alert per condition: raising it again updates that one.
CREATE UNIQUE INDEX "alerts_one_open_per_key" ON "alerts"("key") WHERE "state" IN ('active', 'acknowledged');
