import { beforeAll, describe, expect, it } from "vitest";
import { system } from "@/lib/context/request-context";
import { pool } from "@/lib/db";
import { runAnalysis } from "@/lib/analysis/run-analysis";
import { ingestRecords } from "@/test/factories";
import { testContext } from "@/lib/context/testing";
import { listGovernanceChecks } from "./list-governance-checks";
import { setGovernanceSettings } from "./set-governance-settings";
import { checksByNativeId } from "./testing/checks-by-native-id";
import { governanceCases, SETTINGS } from "./testing/governance-cases";
import type { GovernanceCheckItem } from "./types";

// The governance edge cases (lib/governance/testing/governance-cases.ts), table-driven: their CloudTrail, GitHub,
// grant, ServiceNow and Jira records are ingested, the analysis runs as after any ingest, and each case's subject
// action must have the expected status (also among every failing status) and reason. The CLI runs the same table
// end to end (lib/cli/commands/governance.db.test.ts).

const { files, cases } = governanceCases();
let byNativeId = new Map<string, GovernanceCheckItem>();

beforeAll(async () => {
  await setGovernanceSettings({ ctx: testContext(), input: SETTINGS });
  for (const f of files) await ingestRecords(f.name, f.body);
  await runAnalysis({ ctx: system(), mode: "full" });
  byNativeId = await checksByNativeId(500);
}, 120_000);

describe("governance edge cases", () => {
  it("has at least 40 cases, each a distinct subject", () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
    expect(new Set(cases.map((c) => c.subject)).size).toBe(cases.length);
  });

  it.each(cases.map((c) => [`${c.id}: ${c.title}`, c] as const))("%s", (_, c) => {
    const got = byNativeId.get(c.subject);
    expect(got, `no check for ${c.subject}`).toBeDefined();
    expect({ status: got!.status, reason: got!.reason }).toMatchObject({
      status: c.expect.status,
      reason: expect.stringMatching(c.expect.reason),
    });
    for (const s of c.expect.also ?? []) expect(got!.statuses).toContain(s);
    if (c.expect.status === "ok") expect(got!.statuses).toEqual([]);
    else expect(got!.statuses[0]).toBe(c.expect.status);
    // Every rule is reported, each with a reason in words.
    expect(got!.checks.map((r) => r.rule)).toHaveLength(10);
    for (const r of got!.checks) expect(r.reason.length).toBeGreaterThan(5);
  });

  it("filters by a failing status also where another status is shown first", async () => {
    const standing = await listGovernanceChecks({ status: "standing_privilege", limit: 500 });
    const subjects = new Set(standing.items.map((i) => i.eventId));
    const c04 = byNativeId.get("evt-c04")!;
    expect(c04.status).toBe("unapproved");
    expect(subjects.has(c04.eventId)).toBe(true);
    expect(standing.items.every((i) => i.statuses.includes("standing_privilege"))).toBe(true);
  });

  it("raises one standing-privilege finding per open-ended grant or actor and platform, and one over-broad finding per grant", async () => {
    const f = await pool().query<{ ruleId: string; fingerprint: string; n: number }>(
      `SELECT "ruleId", fingerprint, cardinality("eventIds") AS n FROM finding WHERE "ruleId" IN ('standing-privilege', 'over-broad-grant') ORDER BY 1, 2`,
    );
    const fingerprints = f.rows.map((r) => r.fingerprint);
    expect(new Set(fingerprints).size).toBe(fingerprints.length);
    const open = byNativeId.get("evt-c37")!;
    expect(
      f.rows.filter((r) => r.ruleId === "standing-privilege" && r.fingerprint === `standing-privilege:grant:${open.grant!.id}`),
    ).toHaveLength(1);
    const broad = byNativeId.get("evt-c43")!;
    expect(f.rows.filter((r) => r.ruleId === "over-broad-grant").map((r) => r.fingerprint)).toContain(
      `over-broad-grant:grant:${broad.grant!.id}`,
    );
  });
});
