-- AlterTable
ALTER TABLE "users" ALTER COLUMN "locale" DROP NOT NULL,
ALTER COLUMN "locale" DROP DEFAULT;

-- Until now every user had en-US without having chosen it: from now on they get their browser's language until they
-- pick one in the console.
UPDATE "users" SET "locale" = NULL WHERE "locale" = 'en-US';
