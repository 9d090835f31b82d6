import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { openCliDatabase } from "./database";

const exec = promisify(execFile);
const root = path.resolve(import.meta.dirname, "../..");
const dirs: string[] = [];
const tmpDir = (prefix: string) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** `npm run cli` as a child process, with no DATABASE_URL unless given. */
async function cli(args: string[], env: Record<string, string>) {
  const { DATABASE_URL: _ignored, SESSIONPROOF_PG_PORT: _port, ...rest } = process.env;
  try {
    const r = await exec("npx", ["tsx", "--import", "./scripts/server-only.mjs", "lib/cli/main.ts", ...args], {
      cwd: root,
      env: { ...rest, ...env },
      timeout: 120_000,
    });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("openCliDatabase", () => {
  it("uses DATABASE_URL when it is set", async () => {
    const db = await openCliDatabase();
    expect(db).toMatchObject({ url: process.env.DATABASE_URL, source: "env" });
    await db.close();
  });

  it("reuses the running dashboard's embedded server (runtime.json) instead of starting a second one", async () => {
    const dir = tmpDir("sessionproof-cli-running-");
    fs.writeFileSync(path.join(dir, "runtime.json"), JSON.stringify({ databaseUrl: process.env.DATABASE_URL, pid: process.pid }));
    const out = await cli(["ledger", "verify", "--json"], { SESSIONPROOF_DATA_DIR: dir });
    expect(out.stderr).toMatch(/using the embedded PostgreSQL of the running dashboard/);
    expect(out.code, out.stderr).toBe(0);
    expect(JSON.parse(out.stdout)).toMatchObject({ ok: true });
    expect(fs.existsSync(path.join(dir, "pg"))).toBe(false);
  });

  it("without DATABASE_URL starts the embedded PostgreSQL in the data folder, migrates it, and stops it after the command", async () => {
    const dir = tmpDir("sessionproof-cli-embedded-");
    const created = await cli(["ledger", "checkpoint", "--json"], { SESSIONPROOF_DATA_DIR: dir });
    expect(created.stderr).toMatch(/starting the embedded PostgreSQL/);
    expect(created.code, created.stderr).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ created: true, checkpoint: { treeSize: 0 } });
    expect(fs.existsSync(path.join(dir, "pg", "PG_VERSION"))).toBe(true);
    expect(fs.existsSync(path.join(dir, "pg", "postmaster.pid"))).toBe(false);
    // Same cluster again: the checkpoint is still there and verifies with the key kept in the folder.
    const verified = await cli(["ledger", "verify"], { SESSIONPROOF_DATA_DIR: dir });
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.stdout).toMatch(/0 records \(0 purged\), 1 checkpoints/);
    expect(fs.existsSync(path.join(dir, "pg", "postmaster.pid"))).toBe(false);
    const key = await cli(["ledger", "key"], { SESSIONPROOF_DATA_DIR: dir });
    expect(key.stdout).toContain(JSON.parse(created.stdout).checkpoint.keyFingerprint);
  }, 180_000);
});
