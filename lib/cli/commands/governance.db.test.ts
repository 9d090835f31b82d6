import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { testContext } from "@/lib/context/testing";
import { pool } from "@/lib/db";
import { setGovernanceSettings } from "@/lib/governance/set-governance-settings";
import type { CliCheck } from "@/lib/governance/export-governance-checks";
import { governanceCases, SETTINGS, T } from "@/lib/governance/testing/governance-cases";
import type { CliIo } from "../command";
import { commands } from "../registry";
import { runCli } from "../run-cli";

// The governance edge cases end to end through the command line: `npm run cli -- ingest <files>` (which ends with
// the analysis) and then `npm run cli -- governance --json`, with no other step. Every case's subject action must be
// printed with the expected status and reason, in the documented shape.

function capture(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t) };
}

const { files, cases } = governanceCases();
let printed: CliCheck[] = [];
const nativeOf = new Map<string, string>();

async function governanceJson(args: string[] = []): Promise<CliCheck[]> {
  const io = capture();
  expect(await runCli({ argv: ["governance", "--json", ...args], commands, io }), io.stderr.join("\n")).toBe(0);
  return JSON.parse(io.stdout.join("\n")) as CliCheck[];
}

beforeAll(async () => {
  await setGovernanceSettings({ ctx: testContext(), input: SETTINGS });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gov-cli-"));
  const paths = files.map((f) => {
    const p = path.join(dir, f.name);
    fs.writeFileSync(p, JSON.stringify(f.body));
    return p;
  });
  const io = capture();
  expect(await runCli({ argv: ["ingest", ...paths], commands, io }), io.stderr.join("\n")).toBe(0);
  printed = await governanceJson();
  const ids = await pool().query<{ id: string; nativeId: string }>(`SELECT id::text, "nativeId" FROM event WHERE id = ANY($1::bigint[])`, [
    printed.map((p) => p.eventId),
  ]);
  for (const r of ids.rows) nativeOf.set(r.id, r.nativeId);
}, 180_000);

describe("npm run cli -- governance --json after npm run cli -- ingest", () => {
  it("prints every check in the documented shape", async () => {
    const stored = Number((await pool().query(`SELECT count(*) FROM governance_check`)).rows[0].count);
    expect(printed).toHaveLength(stored);
    for (const p of printed)
      expect(Object.keys(p)).toEqual(["eventId", "platform", "action", "actor", "status", "reason", "approval", "grant"]);
  });

  it.each(cases.map((c) => [`${c.id}: ${c.title}`, c] as const))("%s", (_, c) => {
    const got = printed.find((p) => nativeOf.get(p.eventId) === c.subject);
    expect(got, `no check printed for ${c.subject}`).toBeDefined();
    expect(got!.status).toBe(c.expect.status);
    expect(got!.reason).toMatch(c.expect.reason);
  });

  it("names the native ticket and grant ids", () => {
    const ok = printed.find((p) => nativeOf.get(p.eventId) === "evt-c47")!;
    expect(ok).toMatchObject({ approval: "CHG0900047", grant: "gr-c47", platform: "aws-cloudtrail", action: "AttachRolePolicy" });
    const missing = printed.find((p) => nativeOf.get(p.eventId) === "evt-c45")!;
    expect(missing).toMatchObject({ approval: "CHG-MISSING-45", grant: "gr-c45" });
    const none = printed.find((p) => nativeOf.get(p.eventId) === "evt-c12")!;
    expect(none).toMatchObject({ approval: null, grant: "gr-c12" });
  });

  it("limits the checks to --from/--to and refuses a bad date", async () => {
    const to = new Date(T + 15 * 60_000).toISOString();
    const early = await governanceJson(["--from", new Date(T).toISOString(), "--to", to]);
    const expected = Number(
      (await pool().query(`SELECT count(*) FROM governance_check WHERE time >= $1 AND time <= $2`, [new Date(T), new Date(to)])).rows[0]
        .count,
    );
    expect(early.length).toBe(expected);
    expect(early.length).toBeGreaterThan(0);
    expect(early.length).toBeLessThan(printed.length);
    const io = capture();
    expect(await runCli({ argv: ["governance", "--json", "--from", "yesterday-ish"], commands, io })).toBe(2);
    expect(io.stderr.join("\n")).toMatch(/--from: not a date/);
  });
});
