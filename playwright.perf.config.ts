import { defineConfig } from "@playwright/test";
import base from "./playwright.config";

// Browser performance measurements (e2e/perf/*.perf.ts): the same app, browser and users as the end-to-end tests,
// but not part of `npm run test:e2e` (those match *.spec.ts only). They print figures and assert on content,
// never on time. Run through `npm run bench -- session-page`, which takes the end-to-end lock and data folder.
export default defineConfig({
  ...base,
  testDir: "e2e/perf",
  testMatch: "**/*.perf.ts",
  timeout: 600_000,
  reporter: [["list"]],
  use: { ...base.use, trace: "off", screenshot: "off" },
});
