-- AlterTable
ALTER TABLE "software_update_points" ADD COLUMN     "synced_classifications" UUID[] DEFAULT ARRAY[]::UUID[],
ADD COLUMN     "synced_products" UUID[] DEFAULT ARRAY[]::UUID[];
