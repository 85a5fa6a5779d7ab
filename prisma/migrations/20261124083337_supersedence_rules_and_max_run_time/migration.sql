-- AlterTable
ALTER TABLE "sup_settings" ADD COLUMN     "feature_supersedence_expire_immediately" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "feature_supersedence_months" INTEGER NOT NULL DEFAULT 3,
ADD COLUMN     "feature_update_max_run_time_minutes" INTEGER NOT NULL DEFAULT 120,
ADD COLUMN     "non_feature_update_max_run_time_minutes" INTEGER NOT NULL DEFAULT 60,
ADD COLUMN     "other_update_max_run_time_minutes" INTEGER NOT NULL DEFAULT 60,
ADD COLUMN     "supersedence_expire_immediately" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "supersedence_months" INTEGER NOT NULL DEFAULT 3;
