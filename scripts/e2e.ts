// `npm run test:e2e`: end-to-end tests in Debian's chromium. Makes sure chromium is there (installing it with
// apt-get when running as root, otherwise saying exactly what to run), gives the app a fresh data folder, and
// runs Playwright, which starts the app (scripts/start.ts builds it when stale) and the test OpenID provider.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { E2E } from "../e2e/config";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

function ensureChromium() {
  if (fs.existsSync(CHROMIUM)) return;
  if (process.getuid?.() !== 0) {
    console.error(
      `Chromium is not installed at ${CHROMIUM}. Install Debian's chromium and run the tests again:\n\n` +
        "    sudo apt-get update && sudo apt-get install -y chromium\n\n" +
        "(or set CHROMIUM_PATH to a Chromium binary)",
    );
    process.exit(2);
  }
  console.log("[e2e] installing Debian's chromium (about a minute)…");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  for (const args of [["update"], ["install", "-y", "--no-install-recommends", "chromium"]]) {
    const r = spawnSync("apt-get", args, { stdio: "inherit", env });
    if (r.status !== 0) {
      console.error(`[e2e] apt-get ${args.join(" ")} failed`);
      process.exit(2);
    }
  }
}

ensureChromium();
fs.rmSync(E2E.dataDir, { recursive: true, force: true });
const r = spawnSync("npx", ["--no-install", "playwright", "test", ...process.argv.slice(2)], {
  stdio: "inherit",
  env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
});
process.exit(r.status ?? 1);
