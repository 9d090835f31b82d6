import { spawn } from "node:child_process";
import net from "node:net";
import { describe, expect, it } from "vitest";
import { processAlive } from "../../lib/db/process-alive";
import { portListeners } from "./children";

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

describe("a stopped runner stops what it started", () => {
  it("SIGTERM reaches the child's group and the detached grandchild still holding a port", async () => {
    const [a, b] = [await freePort(), await freePort()];
    const runner = spawn(process.execPath, ["--import", "tsx", "scripts/lib/testing/children-fixture.ts", String(a), String(b)], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const pids = await new Promise<number[]>((resolve, reject) => {
      let out = "";
      runner.stdout.on("data", (d: Buffer) => {
        out += d.toString();
        const m = out.match(/ready (\d+) (\d+)/);
        if (m) resolve([Number(m[1]), Number(m[2])]);
      });
      runner.once("exit", () => reject(new Error(`the fixture exited early: ${out}`)));
    });
    expect(portListeners([a, b]).sort()).toEqual([...pids].sort());

    const exited = new Promise<number | null>((resolve) => runner.once("exit", (code) => resolve(code)));
    runner.kill("SIGTERM");
    expect(await exited).toBe(128 + 15);
    expect(pids.filter(processAlive)).toEqual([]);
    expect(portListeners([a, b])).toEqual([]);
  }, 30_000);
});
