import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getCase } from "@/lib/cases/get-case";
import { db, pool } from "@/lib/db";
import { seedCorrelated } from "@/test/factories";
import { commands } from "../registry";
import { runCli } from "../run-cli";

// `npm run cli -- case create` as a compliance team's scheduled job would script it: create a case from ids, export
// it, verify the package; everything recorded under the operating-system user and host running the command.

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "sessionproof-case-cli-"));
const who = `cli:${os.userInfo().username}@${os.hostname()}`;
let sessionIds: string[];
let findingId: string;

async function cli(argv: string[]) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await runCli({ argv, commands, io: { out: (t) => stdout.push(t), err: (t) => stderr.push(t) } });
  return { code, stdout, stderr, all: [...stdout, ...stderr].join("\n") };
}

const caseCount = async () => Number((await pool().query<{ n: string }>(`SELECT count(*) AS n FROM "case"`)).rows[0].n);

beforeAll(async () => {
  await seedCorrelated([["okta", "okta-system-log-page.json"]]);
  const s = await pool().query<{ id: string }>(`SELECT id FROM session ORDER BY "eventCount" DESC, id LIMIT 2`);
  sessionIds = s.rows.map((r) => r.id);
  expect(sessionIds.length).toBe(2);
  const e = await pool().query<{ id: string }>(`SELECT id::text FROM event ORDER BY time, id LIMIT 1`);
  const f = await db().finding.create({
    data: {
      ruleId: "test.rule",
      severity: "high",
      title: "Sign-in from a new country",
      evidence: {},
      fingerprint: "test.rule:cli",
      eventIds: [BigInt(e.rows[0].id)],
      firstSeenAt: new Date("2025-03-04T13:15:00Z"),
      lastSeenAt: new Date("2025-03-04T13:16:00Z"),
    },
  });
  findingId = f.id;
}, 120_000);

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("npm run cli -- case create", () => {
  it("scripts create, export and verify end to end; stdout is the case's JSON and nothing else", async () => {
    const created = await cli([
      "case",
      "create",
      "--title",
      "Quarterly access review",
      "--session",
      sessionIds[0],
      "--session",
      sessionIds[1],
      "--finding",
      findingId,
      "--note",
      "Scheduled export, see runbook.",
    ]);
    expect(created.code, created.all).toBe(0);
    expect(created.stdout).toHaveLength(1);
    const { id, number } = JSON.parse(created.stdout[0]) as { id: string; number: number };
    expect(id).toMatch(/^[0-9a-f-]{36}$/);

    // The same case the UI would show: items, note, history, all by the OS user and host (no user row behind them).
    const c = (await getCase({ id }))!;
    expect(c).toMatchObject({ number, title: "Quarterly access review", createdBy: { id: null, email: who, name: null } });
    expect(c.items.map((i) => [i.itemType, i.refId, i.addedBy?.email]).sort()).toEqual(
      [
        ["finding", findingId, who],
        ["session", sessionIds[0], who],
        ["session", sessionIds[1], who],
      ].sort(),
    );
    expect(c.notes).toMatchObject([{ body: "Scheduled export, see runbook.", author: { id: null, email: who } }]);
    expect(c.activity.map((a) => a.action).sort()).toEqual(["created", "item_added", "item_added", "item_added", "note_added"]);
    expect(c.activity.every((a) => a.actor?.email === who && a.actor.id === null)).toBe(true);
    const audit = await pool().query<{ actorId: string | null; actorEmail: string }>(
      `SELECT "actorId", "actorEmail" FROM audit_log WHERE "resourceId" = $1 AND action = 'case.changed'`,
      [id],
    );
    expect(audit.rows).toHaveLength(5);
    expect(audit.rows.every((r) => r.actorId === null && r.actorEmail === who)).toBe(true);

    const zip = path.join(tmp, "review.zip");
    const exported = await cli(["case", "export", id, "--out", zip]);
    expect(exported.code, exported.all).toBe(0);
    expect(exported.stdout.join("\n")).toContain(`Exported case #${number} to ${zip}`);
    expect(exported.stdout.join("\n")).toContain(`as ${who}.`);
    const verified = await cli(["verify-export", zip]);
    expect(verified.code, verified.all).toBe(0);
    expect(verified.all).toContain("VERIFIED: every check passed, signed by the expected key");
  });

  it("an unknown session or finding id creates nothing and exits 1, naming it", async () => {
    const before = await caseCount();
    const r = await cli([
      "case",
      "create",
      "--title",
      "T",
      "--session",
      sessionIds[0],
      "--session",
      "no-such-session",
      "--finding",
      "00000000-0000-4000-8000-000000000000",
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toEqual([]);
    expect(r.all).toContain("no session no-such-session, no finding 00000000-0000-4000-8000-000000000000. No case was created.");
    expect(await caseCount()).toBe(before);
  });

  it("an empty or missing title, an empty note and a stray argument are usage errors (exit 2)", async () => {
    const before = await caseCount();
    for (const [argv, message] of [
      [["case", "create", "--title", "   "], "--title: give the case a title"],
      [["case", "create", "--session", sessionIds[0]], "--title is required"],
      [["case", "create", "--title", "T", "--note", " "], "--note: a note cannot be empty"],
      [["case", "create", "--title", "T", sessionIds[0]], `unexpected argument ${sessionIds[0]}`],
    ] as const) {
      const r = await cli([...argv]);
      expect(r.code, r.all).toBe(2);
      expect(r.stdout).toEqual([]);
      expect(r.all).toContain(message);
    }
    expect(await caseCount()).toBe(before);
  });
});
