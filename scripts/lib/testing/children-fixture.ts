// Test fixture for scripts/lib/children.test.ts, shaped like scripts/e2e.ts: a child process group (like
// Playwright) that listens on one port and starts a detached grandchild (like a web server) on another.
// Prints "ready <child pid> <grandchild pid>" once both listen.
import { startGroup, stopGroup, stopPortListeners, withCleanup } from "../children";

const [portA, portB] = process.argv.slice(2).map(Number);
const listen = (port: number) => `require("node:net").createServer().listen(${port}, "127.0.0.1"); setInterval(() => {}, 1000);`;
const childCode = `
  const { spawn } = require("node:child_process");
  const g = spawn(process.execPath, ["-e", ${JSON.stringify(listen(portB))}], { detached: true, stdio: "ignore" });
  ${listen(portA)}
  const net = require("node:net");
  const probe = () => { const s = net.connect(${portB}, "127.0.0.1", () => { s.end(); console.log("ready " + process.pid + " " + g.pid); }); s.on("error", () => setTimeout(probe, 50)); };
  probe();
`;
const group = startGroup(process.execPath, ["-e", childCode]);
await withCleanup(
  () => group.exited,
  async () => {
    await stopGroup(group.pid, "SIGTERM", 5_000);
    await stopPortListeners([portA, portB], 5_000);
  },
);
