import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import "./http-method-guard.mjs";

// The guard loaded into the web server: TRACE never reaches the app (where Next's Request constructor threw, a 500).
let server: http.Server;
let port = 0;
const reached: string[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    reached.push(req.method!);
    res.end("app");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

function send(method: string): Promise<{ status: number; allow?: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, method, path: "/api/v1/health", headers: { cookie: "secret=1" } }, (res) => {
      let body = "";
      res.on("data", (c: Buffer) => (body += c.toString()));
      res.on("end", () => resolve({ status: res.statusCode!, allow: res.headers.allow, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("http method guard", () => {
  it("answers TRACE with 405 and a message, without reaching the app; other methods pass", async () => {
    const trace = await send("TRACE");
    expect(trace.status).toBe(405);
    expect(trace.allow).toContain("GET");
    expect(JSON.parse(trace.body).error.message).toMatch(/^The TRACE method is not supported here/);
    expect(trace.body).not.toContain("secret");
    expect((await send("GET")).body).toBe("app");
    expect(reached).toEqual(["GET"]);
  });
});
