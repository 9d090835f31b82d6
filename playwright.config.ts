import { defineConfig } from "@playwright/test";
import { E2E } from "./e2e/config";

// End-to-end tests drive Debian's chromium (no browser download: `npx playwright install` cannot reach its
// host here) against the real app started by scripts/start.ts on a throwaway embedded PostgreSQL, plus a
// real OpenID provider for single sign-on. Run through `npm run test:e2e`, which prepares both.
export default defineConfig({
  testDir: "e2e",
  // Long flows (the administrator's page tour with axe on every page, the compliance drill-down) take 30-40 s on a
  // quiet two-core machine; the margin is for a busy one.
  timeout: 120_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: Boolean(process.env.CI),
  reporter: [["list"], ["json", { outputFile: "test-results/e2e-results.json" }]],
  globalSetup: "./e2e/global-setup.ts",
  use: {
    baseURL: E2E.baseUrl,
    // A zone other than the server's UTC, so that a time formatted in the viewer's zone shows up in the tests (every
    // time on screen is UTC with the local time on hover: components/time.tsx).
    timezoneId: "Europe/Berlin",
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        "--no-first-run",
        "--disable-gpu",
      ],
    },
  },
  projects: [{ name: "chromium", use: { browserName: "chromium" } }],
  webServer: [
    {
      command: "npx tsx scripts/oidc-test-provider.ts",
      url: `${E2E.oidcIssuer}/.well-known/openid-configuration`,
      timeout: 30_000,
      reuseExistingServer: false,
      env: { OIDC_TEST_PORT: String(E2E.oidcPort), OIDC_TEST_APP_URL: E2E.baseUrl },
      gracefulShutdown: { signal: "SIGTERM", timeout: 5_000 },
    },
    {
      command: "npx tsx --import ./scripts/server-only.mjs scripts/start.ts",
      url: `${E2E.baseUrl}/api/v1/health`,
      timeout: 300_000,
      reuseExistingServer: false,
      stdout: "pipe",
      env: {
        PORT: String(E2E.port),
        NEXTAUTH_URL: E2E.baseUrl,
        SESSIONPROOF_DATA_DIR: E2E.dataDir,
        // The specs seed their own data (an empty database, as with SESSIONPROOF_DEMO=off); the demo load has its own test.
        SESSIONPROOF_DEMO: "off",
        SESSIONPROOF_ADMIN_EMAIL: E2E.admin.email,
        SESSIONPROOF_ADMIN_PASSWORD: E2E.admin.password,
        SESSIONPROOF_OIDC_ISSUER: E2E.oidcIssuer,
        SESSIONPROOF_OIDC_CLIENT_ID: "sessionproof-e2e",
        SESSIONPROOF_OIDC_CLIENT_SECRET: "sessionproof-e2e-client-secret",
        SESSIONPROOF_OIDC_NAME: "Test IdP",
        DATABASE_URL: "",
      },
      gracefulShutdown: { signal: "SIGTERM", timeout: 15_000 },
    },
  ],
});
