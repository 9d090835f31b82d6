// Prisma CLI configuration. The runtime never reads this: lib/db.ts builds the client with the pg driver
// adapter. Migrations are plain SQL under prisma/migrations, applied by lib/db/migrate.ts (see DESIGN §5).
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/sessionproof" },
});
