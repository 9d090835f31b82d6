import { defineConfig } from "vitest/config";
import path from "node:path";

// Unit and integration tests sit beside the code (lib/**/x.test.ts) or in test/. Integration tests run
// against a real PostgreSQL: the embedded one started by test/global-setup.ts, or the server named by
// TEST_DATABASE_URL (CI also runs the suite against Debian's PostgreSQL 15). Each test file gets its own
// database cloned from a migrated template (test/setup-db.ts).
export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(import.meta.dirname),
      // lib/db.ts is marked server-only for Next's bundler; tests run it in plain Node.
      "server-only": path.resolve(import.meta.dirname, "node_modules/next/dist/compiled/server-only/empty.js"),
    },
  },
  test: {
    include: ["lib/**/*.test.ts", "scripts/**/*.test.ts", "test/**/*.test.ts"],
    exclude: ["node_modules/**", "e2e/**", ".next/**", "lib/generated/**"],
    environment: "node",
    globalSetup: ["test/global-setup.ts"],
    setupFiles: ["test/setup-fast-check.ts", "test/setup-db.ts"],
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    server: { deps: { inline: ["zod"] } },
  },
});
