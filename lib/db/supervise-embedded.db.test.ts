import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmbeddedPostgres, superviseEmbedded, type EmbeddedDb } from "./embedded";

// `npm start` keeps its embedded PostgreSQL alive: a server that is killed is started again on the same port (the
// URL the web server holds stays valid); one that keeps dying stops Sessionproof with a message. A cluster of its
// own, apart from the one the db tests share.

const dir = path.resolve(".tmp", `supervise-pg-${process.pid}`);
let db: EmbeddedDb;

async function select1(url: string): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<{ one: number }>("SELECT 1 AS one")).rows[0].one;
  } finally {
    await c.end();
  }
}

function postmasterPid(): number {
  return Number(fs.readFileSync(path.join(dir, "pg", "postmaster.pid"), "utf8").split("\n")[0]);
}

async function until(ok: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (await ok()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`gave up waiting for ${what}`);
}

beforeAll(async () => {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true, mode: 0o711 });
  db = await startEmbeddedPostgres({ dataDir: dir, password: "test-only-password", database: "postgres" });
}, 120_000);

afterAll(async () => {
  await db?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("the embedded PostgreSQL under supervision", () => {
  it("is started again when killed, and given up with a message when it keeps dying", async () => {
    const lines: string[] = [];
    const gaveUp: string[] = [];
    superviseEmbedded({ db, log: (l) => lines.push(l), giveUp: (m) => gaveUp.push(m), maxRestarts: 1, retryMs: 300 });
    expect(await select1(db.url)).toBe(1);

    const first = postmasterPid();
    process.kill(first, "SIGKILL");
    await until(() => lines.includes("the embedded PostgreSQL is running again"), "the restart");
    expect(lines[0]).toMatch(/^the embedded PostgreSQL was killed \(SIGKILL\); restarting it \(1 of at most 1 within 10 minutes\)/);
    expect(postmasterPid()).not.toBe(first);
    expect(await select1(db.url)).toBe(1);
    expect(gaveUp).toEqual([]);

    process.kill(postmasterPid(), "SIGKILL");
    await until(() => gaveUp.length > 0, "giving up");
    expect(gaveUp[0]).toMatch(
      /^The embedded PostgreSQL was killed \(SIGKILL\) again, after 1 restarts within 10 minutes\. Sessionproof is stopping/,
    );
    expect(gaveUp[0]).toMatch(/start again with npm start/);
  }, 120_000);
});
