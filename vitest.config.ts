import { defineConfig } from "vitest/config";
import path from "node:path";

// Two projects, told apart by the file name:
// - unit: `*.test.ts` — pure tests; no database is started for them, and one that reaches for it fails at once
//   (DATABASE_URL points nowhere, see test/setup-unit.ts).
// - db: `*.db.test.ts` — integration tests against a real PostgreSQL: the embedded one started by
//   test/global-setup.ts, or the server named by TEST_DATABASE_URL (CI also runs them against Debian's
//   PostgreSQL 15). Each file gets its own database cloned from a migrated template (test/setup-db.ts).
// `vitest run --project unit` runs the pure tests alone, in seconds and without PostgreSQL.
const shared = {
  // Tests sit beside the code (lib/**/x.test.ts) or in test/ and scripts/.
  environment: "node" as const,
  pool: "forks" as const,
  testTimeout: 30_000,
  hookTimeout: 60_000,
  server: { deps: { inline: ["zod"] } },
  // The audit trail's background flush to the ledger would race the tests' own database teardown; tests that
  // need the flush call flushAuditToLedger() themselves.
  env: { SESSIONPROOF_AUDIT_AUTOFLUSH: "0" },
};
const exclude = ["node_modules/**", "e2e/**", ".next/**", "lib/generated/**"];
const dirs = ["lib", "scripts", "test"];

export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(import.meta.dirname),
      // lib/db.ts is marked server-only for Next's bundler; tests run it in plain Node.
      "server-only": path.resolve(import.meta.dirname, "node_modules/next/dist/compiled/server-only/empty.js"),
    },
  },
  test: {
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          ...shared,
          name: "unit",
          // Pure tests share their workers' module cache (no per-file re-import of the lib graph): the import phase
          // took about two thirds of this project's time isolated. The db project stays isolated: its modules keep
          // per-database state (signing keys in the file's data folder, caches keyed by process).
          isolate: false,
          include: dirs.map((d) => `${d}/**/*.test.ts`),
          exclude: [...exclude, "**/*.db.test.ts"],
          setupFiles: ["test/setup-fast-check.ts", "test/setup-unit.ts"],
        },
      },
      {
        extends: true,
        test: {
          ...shared,
          name: "db",
          include: dirs.map((d) => `${d}/**/*.db.test.ts`),
          exclude,
          globalSetup: ["test/global-setup.ts"],
          setupFiles: ["test/setup-fast-check.ts", "test/setup-db.ts"],
        },
      },
    ],
  },
});
