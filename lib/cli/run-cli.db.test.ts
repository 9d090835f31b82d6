import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { UsageError, type CliCommand, type CliIo } from "./command";
import { commands } from "./registry";
import { helpText, runCli } from "./run-cli";

function capture(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t) };
}

const calls: string[][] = [];
const fake: CliCommand[] = [
  { name: "demo", summary: "the group-less one", database: "none", run: async (args) => (calls.push(["demo", ...args]), 0) },
  {
    name: "demo seed",
    summary: "a longer name wins",
    usage: "[--big]",
    database: "none",
    run: async (args) => (calls.push(["demo seed", ...args]), 0),
  },
  { name: "boom", summary: "fails", database: "none", run: async () => Promise.reject(new AppError("NOT_FOUND", "no such thing")) },
  { name: "usage", summary: "complains", database: "none", run: async () => Promise.reject(new UsageError("bad flag")) },
  {
    name: "db probe",
    summary: "needs the database",
    database: "read",
    run: async (_args, io) => {
      const { pool } = await import("@/lib/db");
      io.out(String((await pool().query("SELECT 41 + 1 AS n")).rows[0].n));
      return 0;
    },
  },
];

describe("the CLI dispatcher", () => {
  it("lists every registered command in --help", async () => {
    const io = capture();
    expect(await runCli({ argv: ["--help"], commands, io })).toBe(0);
    for (const c of commands) expect(io.stdout.join("\n")).toContain(c.name);
    expect(helpText(commands)).toMatch(/ledger verify[\s\S]*ledger checkpoint[\s\S]*ledger key/);
  });

  it("prints help and exits 2 without a command, 2 for an unknown one", async () => {
    expect(await runCli({ argv: [], commands, io: capture() })).toBe(2);
    const io = capture();
    expect(await runCli({ argv: ["ledger", "nope"], commands, io })).toBe(2);
    expect(io.stderr.join("\n")).toMatch(/Unknown ledger command: nope[\s\S]*ledger verify/);
    expect(await runCli({ argv: ["frobnicate"], commands, io: capture() })).toBe(2);
  });

  it("picks the longest matching command and passes the rest as arguments", async () => {
    calls.length = 0;
    await runCli({ argv: ["demo", "seed", "--big"], commands: fake, io: capture() });
    await runCli({ argv: ["demo", "other"], commands: fake, io: capture() });
    expect(calls).toEqual([
      ["demo seed", "--big"],
      ["demo", "other"],
    ]);
  });

  it("shows a command's own help, and maps failures to exit codes", async () => {
    const help = capture();
    expect(await runCli({ argv: ["demo", "seed", "--help"], commands: fake, io: help })).toBe(0);
    expect(help.stdout.join("\n")).toMatch(/Usage: npm run cli -- demo seed \[--big\]/);
    const boom = capture();
    expect(await runCli({ argv: ["boom"], commands: fake, io: boom })).toBe(1);
    expect(boom.stderr.join("\n")).toMatch(/error: no such thing/);
    const usage = capture();
    expect(await runCli({ argv: ["usage"], commands: fake, io: usage })).toBe(2);
    expect(usage.stderr.join("\n")).toMatch(/bad flag/);
  });

  it("gives database commands the DATABASE_URL server", async () => {
    const io = capture();
    expect(await runCli({ argv: ["db", "probe"], commands: fake, io })).toBe(0);
    expect(io.stdout).toEqual(["42"]);
  });
});

describe("npm run cli -- ingest", () => {
  it("ends with the whole analysis: governance checks and risk findings exist without any other step", async () => {
    const { pool } = await import("@/lib/db");
    const file = "lib/sources/aws-cloudtrail/fixtures/111122223333_CloudTrail_eu-west-1_20250304T1315Z_AbCdEfGh12345678.json";
    const io = capture();
    expect(await runCli({ argv: ["ingest", file], commands, io }), io.stderr.join("\n")).toBe(0);
    const counts = (
      await pool().query<{ sessions: string; checks: string; privileged: string }>(
        `SELECT (SELECT count(*) FROM session)::text AS sessions, (SELECT count(*) FROM governance_check)::text AS checks,
                (SELECT count(*) FROM event WHERE privileged)::text AS privileged`,
      )
    ).rows[0];
    expect(Number(counts.sessions)).toBeGreaterThan(0);
    // Every privileged action in the trail has its governance check, written by the ingest itself.
    expect(Number(counts.privileged)).toBeGreaterThan(0);
    expect(Number(counts.checks)).toBe(Number(counts.privileged));
    expect(io.stdout.join("\n")).toMatch(/\d+ governance checks \(\d+ not ok\); \d+ findings raised/);
  });
});

describe("npm run cli -- ingest --help", () => {
  it("lists every registered platform with the shapes it reads", async () => {
    const { describePlatforms } = await import("@/lib/sources/registry");
    const io = capture();
    expect(await runCli({ argv: ["ingest", "--help"], commands, io })).toBe(0);
    const text = io.stdout.join("\n");
    for (const p of describePlatforms()) expect(text).toContain(`  ${p.id.padEnd(18)} ${p.label}: ${p.formats.join(", ")}`);
  });
});
