import { spawn } from "node:child_process";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";

// The preload of the web server (scripts/peer-address.mjs), in a real Node HTTP server: the handler sees the
// connection's address in x-sessionproof-peer, whatever the client sent under that name.
const SERVER = `
import http from "node:http";
const s = http.createServer((req, res) => {
  res.end(JSON.stringify({ peer: req.headers["x-sessionproof-peer"], xff: req.headers["x-forwarded-for"],
    stamped: globalThis[Symbol.for("sessionproof.peer-address-stamp")] }));
});
s.listen(0, "127.0.0.1", () => console.log(s.address().port));
`;

describe("scripts/peer-address.mjs", () => {
  it("stamps each request with its TCP peer address, replacing a forged header", async () => {
    const preload = pathToFileURL(path.resolve(import.meta.dirname, "peer-address.mjs")).href;
    const child = spawn(process.execPath, [`--import=${preload}`, "--input-type=module", "-e", SERVER], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    try {
      const port = await new Promise<number>((resolve, reject) => {
        child.stdout.once("data", (d: Buffer) => resolve(Number(d.toString().trim())));
        child.once("exit", (code) => reject(new Error(`server exited with ${code}`)));
      });
      const headers = { "x-sessionproof-peer": "203.0.113.66", "x-forwarded-for": "203.0.113.67" };
      for (let i = 0; i < 2; i++) {
        const res = await fetch(`http://127.0.0.1:${port}/`, { headers });
        expect(await res.json()).toEqual({ peer: "127.0.0.1", xff: "203.0.113.67", stamped: "x-sessionproof-peer" });
      }
    } finally {
      child.kill();
    }
  });
});
