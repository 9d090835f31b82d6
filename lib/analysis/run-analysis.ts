import type { RequestContext } from "@/lib/context/request-context";
import { db } from "@/lib/db";
import { runGovernanceChecks } from "@/lib/governance/run-governance-checks";
import { runRiskRules } from "@/lib/risk/run-risk-rules";
import { runCorrelation, type CorrelationMode } from "@/lib/correlation/run-correlation";
import { logicVersion } from "./logic-version";
import type { AnalysisSummary } from "./run-analysis.types";

// The analysis after an ingest: correlation, then the governance checks and risk rules that read the sessions
// it leaves. Every way data arrives (the web server's background run, POST /api/v1/correlation, `npm run cli --
// ingest` and `correlate`, the demo load) calls this one function, so checks and findings exist after any of
// them. It sits above those layers so that correlation never calls the analyses built on its output.
//
// Each run is recorded (analysis_run): when it ran, who asked, the events it covers (through the highest event
// id present when it started), the logic version (lib/analysis/logic-version.ts), and its outcome. Pages and
// reports that show a verdict name the run it comes from (lib/analysis/analysis-status.ts).
export type { AnalysisSummary } from "./run-analysis.types";

export async function runAnalysis({ ctx, mode }: { ctx: RequestContext; mode: CorrelationMode }): Promise<AnalysisSummary> {
  const { appVersion, logicHash } = logicVersion();
  // What the run covers: the events present when it starts. An event stored during the run may or may not be
  // read by it; it counts as newer, so the warning errs on the side of "not included".
  const [span] = await db().$queryRaw<{ through: bigint | null; at: Date | null; n: bigint }[]>`
    SELECT max(id) AS through, max(time) AS at, count(*) AS n FROM event`;
  const run = await db().analysisRun.create({
    data: {
      status: "running",
      mode,
      requestedBy: ctx.actor.email,
      eventsThroughId: span?.through ?? 0n,
      eventsThroughAt: span?.at ?? null,
      eventCount: span?.n ?? 0n,
      appVersion,
      logicHash,
    },
  });
  try {
    const summary = await runCorrelation({ ctx, mode });
    const governance = await runGovernanceChecks({ ctx });
    const risk = await runRiskRules({ ctx });
    const result = { ...summary, governance, risk };
    await db().analysisRun.update({
      where: { id: run.id },
      data: { status: "succeeded", finishedAt: new Date(), summary: JSON.parse(JSON.stringify(result)) },
    });
    return { ...result, runId: run.id.toString() };
  } catch (err) {
    await db()
      .analysisRun.update({ where: { id: run.id }, data: { status: "failed", finishedAt: new Date(), error: (err as Error).message } })
      .catch(() => undefined);
    throw err;
  }
}

/** One line for people: what the analysis found. */
export function describeAnalysis(s: AnalysisSummary): string {
  const problems = s.governance.checks - (s.governance.byStatus.ok ?? 0);
  return (
    `Correlated ${s.events.toLocaleString()} events: ${s.identities} identities, ${s.sessions} sessions, ${s.links} links; ` +
    `${s.governance.checks} governance checks (${problems} not ok); ${s.risk.raised} findings raised, ${s.risk.updated} updated, ` +
    `${s.risk.resolved} resolved (${s.durationMs} ms correlation; analysis run #${s.runId}).`
  );
}
