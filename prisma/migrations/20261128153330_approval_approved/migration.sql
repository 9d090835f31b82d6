-- AlterTable
ALTER TABLE "approval" ADD COLUMN     "approved" BOOLEAN;
