import { describe, expect, it, vi } from "vitest";
import { forCli } from "@/lib/context/request-context";
import { db } from "@/lib/db";
import * as governance from "@/lib/governance/run-governance-checks";
import { ingestFixture } from "@/test/factories";
import { describeAnalysisStatus, getAnalysisStatus } from "./analysis-status";
import { logicVersion } from "./logic-version";
import { runAnalysis } from "./run-analysis";

// Every analysis run is recorded with the data it covers and its logic version; the status says which run the
// verdicts come from and whether events arrived after it.
describe("analysis runs", () => {
  it("has no verdict source before the first run", async () => {
    const s = await getAnalysisStatus();
    expect(s.current).toBeNull();
    expect(describeAnalysisStatus(s)).toMatch(/No analysis has run yet/);
  });

  it("records when it ran, who asked, the events it covers and the logic version", async () => {
    await ingestFixture("okta", "okta-system-log-page.json");
    const [span] = await db().$queryRaw<{ max: bigint; n: bigint }[]>`SELECT max(id) AS max, count(*) AS n FROM event`;
    const summary = await runAnalysis({ ctx: forCli("auditor-os-user"), mode: "full" });
    const run = await db().analysisRun.findUniqueOrThrow({ where: { id: BigInt(summary.runId) } });
    expect(run).toMatchObject({
      status: "succeeded",
      mode: "full",
      requestedBy: "cli:auditor-os-user",
      eventsThroughId: span.max,
      eventCount: span.n,
      appVersion: logicVersion().appVersion,
      logicHash: logicVersion().logicHash,
      error: null,
    });
    expect(run.finishedAt!.getTime()).toBeGreaterThanOrEqual(run.startedAt.getTime());
    expect(run.summary).toMatchObject({ sessions: summary.sessions, governance: { checks: summary.governance.checks } });

    const s = await getAnalysisStatus();
    expect(s.current?.id).toBe(summary.runId);
    expect(s.latestAttempt).toBeNull();
    expect(s.newerEvents).toBe(0);
    expect(s.logic.stale).toBe(false);
    expect(describeAnalysisStatus(s)).toMatch(new RegExp(`^Analysis run #${summary.runId} finished .* over ${Number(span.n)} events`));
  });

  it("warns about events stored after the run, until the next run covers them", async () => {
    const before = await getAnalysisStatus();
    const added = await ingestFixture("github", "audit-log-stream.jsonl");
    const s = await getAnalysisStatus();
    expect(s.current?.id).toBe(before.current?.id);
    expect(s.newerEvents).toBe(added.stored);
    expect(describeAnalysisStatus(s)).toContain(`${added.stored} events arrived after it and are not in these verdicts.`);
    await runAnalysis({ ctx: forCli("ops"), mode: "incremental" });
    expect((await getAnalysisStatus()).newerEvents).toBe(0);
  });

  it("records a failed run with its reason and keeps showing the last good one", async () => {
    const good = (await getAnalysisStatus()).current!;
    const spy = vi.spyOn(governance, "runGovernanceChecks").mockRejectedValueOnce(new Error("governance exploded"));
    await expect(runAnalysis({ ctx: forCli("ops"), mode: "incremental" })).rejects.toThrow("governance exploded");
    spy.mockRestore();
    const s = await getAnalysisStatus();
    expect(s.current?.id).toBe(good.id);
    expect(s.latestAttempt).toMatchObject({ status: "failed", error: "governance exploded" });
  });

  it("says when the rules changed since the run that produced the verdicts", async () => {
    await db().$executeRaw`UPDATE analysis_run SET "logicHash" = 'an-older-catalog' WHERE status = 'succeeded'`;
    const s = await getAnalysisStatus();
    expect(s.logic.stale).toBe(true);
    expect(describeAnalysisStatus(s)).toContain("The rules changed since");
  });
});
