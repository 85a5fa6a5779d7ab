-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "role" AS ENUM ('full-administrator', 'software-update-manager', 'read-only-analyst');

-- CreateEnum
CREATE TYPE "site_type" AS ENUM ('central', 'primary', 'secondary');

-- CreateEnum
CREATE TYPE "sync_source" AS ENUM ('microsoft-update', 'upstream-url', 'parent', 'disconnected');

-- CreateTable
CREATE TABLE "users" (
    "id" UUID NOT NULL,
    "username" TEXT NOT NULL,
    "password_hash" TEXT NOT NULL,
    "role" "role" NOT NULL,
    "must_change_password" BOOLEAN NOT NULL DEFAULT false,
    "locale" TEXT NOT NULL DEFAULT 'en-US',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sessions" (
    "token_hash" TEXT NOT NULL,
    "user_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "source_address" TEXT,
    "user_agent" TEXT,

    CONSTRAINT "sessions_pkey" PRIMARY KEY ("token_hash")
);

-- CreateTable
CREATE TABLE "sites" (
    "code" VARCHAR(3) NOT NULL,
    "name" TEXT NOT NULL,
    "type" "site_type" NOT NULL,
    "parent_code" VARCHAR(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sites_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "software_update_points" (
    "id" UUID NOT NULL,
    "site_code" VARCHAR(3) NOT NULL,
    "server_name" TEXT NOT NULL,
    "port" INTEGER NOT NULL DEFAULT 8530,
    "ssl_port" INTEGER NOT NULL DEFAULT 8531,
    "use_ssl" BOOLEAN NOT NULL DEFAULT false,
    "sync_source" "sync_source" NOT NULL,
    "upstream_url" TEXT,
    "catalog_version" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "software_update_points_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "worker_heartbeats" (
    "worker_id" TEXT NOT NULL,
    "hostname" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "last_beat_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "worker_heartbeats_pkey" PRIMARY KEY ("worker_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "users_username_key" ON "users"("username");

-- CreateIndex
CREATE INDEX "sessions_user_id_idx" ON "sessions"("user_id");

-- CreateIndex
CREATE INDEX "sites_parent_code_idx" ON "sites"("parent_code");

-- CreateIndex
CREATE UNIQUE INDEX "software_update_points_site_code_server_name_key" ON "software_update_points"("site_code", "server_name");

-- CreateIndex
CREATE INDEX "worker_heartbeats_last_beat_at_idx" ON "worker_heartbeats"("last_beat_at");

-- AddForeignKey
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sites" ADD CONSTRAINT "sites_parent_code_fkey" FOREIGN KEY ("parent_code") REFERENCES "sites"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "software_update_points" ADD CONSTRAINT "software_update_points_site_code_fkey" FOREIGN KEY ("site_code") REFERENCES "sites"("code") ON DELETE CASCADE ON UPDATE CASCADE;
