import { beforeAll, describe, expect, it } from "vitest";
import { system } from "@/lib/context/request-context";
import { pool } from "@/lib/db";
import { runCorrelation } from "@/lib/correlation/run-correlation";
import { runGovernanceChecks } from "@/lib/governance/run-governance-checks";
import { runRiskRules, type RiskRunCounts } from "./run-risk-rules";
import { CROSS_PLATFORM_FIXTURES, ingestFixture } from "@/test/factories";

// The rules over real fixture exports, as the app runs them after a correlation: the rules' SQL must hold on what
// the sources really emit, and a re-correlation must not trip over findings that cite sessions.
const FILES = CROSS_PLATFORM_FIXTURES;

let first: RiskRunCounts;

beforeAll(async () => {
  for (const [platform, file] of FILES) await ingestFixture(platform, file);
  await runCorrelation({ ctx: system() });
  await runGovernanceChecks({ ctx: system() });
  first = await runRiskRules({ ctx: system() });
});

describe("risk rules on fixture exports", () => {
  it("raises findings, each citing events that exist", async () => {
    // No approvals are ingested here, so every privileged action governance found is unapproved.
    const checks = Number((await pool().query(`SELECT count(*) FROM governance_check WHERE approved IS NOT TRUE`)).rows[0].count);
    expect(checks).toBeGreaterThan(0);
    expect(first.byRule["privileged-without-approval"]).toBe(checks);
    const titles = (await pool().query<{ ruleId: string; title: string }>(`SELECT "ruleId", title FROM finding ORDER BY 1, 2`)).rows;
    expect(titles).toContainEqual({
      ruleId: "delegated-high-impact-change",
      title: "alice-admin (on behalf of alice) made 2 privileged changes",
    });
    expect(titles).toContainEqual({
      ruleId: "privileged-without-approval",
      title: "alice-admin ran AttachUserPolicy on ci-deployer without an approval ticket",
    });
    expect(first.raised).toBe(titles.length);
    const dangling = await pool().query(
      `SELECT f.id FROM finding f WHERE EXISTS (SELECT 1 FROM unnest(f."eventIds") x(id) WHERE NOT EXISTS (SELECT 1 FROM event e WHERE e.id = x.id))`,
    );
    expect(dangling.rows).toEqual([]);
  });

  it("survives a re-correlation and a re-run with the same findings", async () => {
    const before = (await pool().query(`SELECT fingerprint FROM finding ORDER BY 1`)).rows;
    await runCorrelation({ ctx: system() });
    await runGovernanceChecks({ ctx: system() });
    const again = await runRiskRules({ ctx: system() });
    expect(again.raised).toBe(0);
    expect(again.resolved).toBe(0);
    expect((await pool().query(`SELECT fingerprint FROM finding ORDER BY 1`)).rows).toEqual(before);
  });
});
