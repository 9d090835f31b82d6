// `npm run test:e2e`: end-to-end tests in Debian's chromium. Makes sure chromium is there (installing it with
// apt-get when running as root, otherwise saying exactly what to run), gives the app a fresh data folder, and
// runs Playwright, which starts the app and the test OpenID provider. The app is built here first when stale
// (scripts/lib/build.ts), so that a slow build on a busy machine is not cut short by Playwright's web-server
// start-up timeout, and its time is printed apart from the tests'.
// Stopped or finished, it leaves nothing running: Playwright gets SIGINT (it then stops its web servers), and
// whatever still holds the e2e ports or the e2e PostgreSQL cluster afterwards is stopped (scripts/lib/children.ts).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { E2E } from "../e2e/config";
import { buildIsStale } from "./lib/build";
import { startGroup, stopGroup, stopPortListeners, stopPostgres, withCleanup } from "./lib/children";

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
if (buildIsStale()) {
  const started = Date.now();
  console.log("[e2e] building the app (next build)…");
  const build = startGroup("npx", ["--no-install", "next", "build"], {
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production" },
  });
  const status = await withCleanup(
    () => build.exited,
    (reason) => (reason === "done" ? Promise.resolve() : stopGroup(build.pid, "SIGTERM", 5_000)),
  );
  if (status !== 0) {
    console.error("[e2e] next build failed");
    process.exit(1);
  }
  console.log(`[e2e] built in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}
const playwright = startGroup("npx", ["--no-install", "playwright", "test", ...process.argv.slice(2)], {
  env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
});
const code = await withCleanup(
  () => playwright.exited,
  async () => {
    await stopGroup(playwright.pid, "SIGINT", 20_000);
    const left = await stopPortListeners([E2E.port, E2E.oidcPort]);
    if (left.length > 0) console.error(`[e2e] stopped processes left on ports ${E2E.port}/${E2E.oidcPort}: ${left.join(", ")}`);
    await stopPostgres(path.join(E2E.dataDir, "pg"));
  },
);
process.exit(code);
