import Link from "next/link";
import type { AnalysisStatus } from "@/lib/analysis/analysis-status";
import { fmtTime, plural } from "./format";
import { Time } from "./time";

// "Analysis as of …": which analysis run the verdicts on a page come from (lib/analysis/analysis-status.ts), and a
// warning when events arrived after it, when the newest run failed or when the rules changed since. Shown above
// every governance check, finding and control status.
export function AnalysisAsOf({ status, mayRun = false }: { status: AnalysisStatus; mayRun?: boolean }) {
  const { current, latestAttempt, newerEvents, newerCapped, logic } = status;
  const how = mayRun ? (
    <>
      {" "}
      Run it from the <Link href="/sessions">Sessions page</Link>, or wait for the run that follows each ingest.
    </>
  ) : (
    <> An analysis runs after each ingest; an analyst can also start one.</>
  );
  if (!current) {
    return (
      <p className="alert alert-info analysis-as-of" data-testid="analysis-as-of">
        No analysis has run yet, so nothing below is a verdict.{how}
      </p>
    );
  }
  const warnings: string[] = [];
  if (newerEvents > 0)
    warnings.push(
      `${newerCapped ? "More than " : ""}${plural(newerEvents, "event")} arrived after this analysis and ${newerEvents === 1 ? "is" : "are"} not in these verdicts yet.`,
    );
  if (latestAttempt?.status === "failed")
    warnings.push(`The newest analysis (run #${latestAttempt.id}) failed: ${latestAttempt.error ?? "no reason recorded"}.`);
  if (latestAttempt?.status === "running") warnings.push(`A newer analysis (run #${latestAttempt.id}) is running.`);
  if (logic.stale) warnings.push("The rules changed since this analysis ran; the next run applies them.");
  return (
    <div className={`alert ${warnings.length > 0 ? "alert-warn" : "alert-info"} analysis-as-of`} data-testid="analysis-as-of">
      <p>
        Analysis as of{" "}
        <strong>
          <Time iso={current.finishedAt} />
        </strong>{" "}
        (run #{current.id}, {plural(current.eventCount, "event")} through event #{current.eventsThroughId}
        {current.eventsThroughAt ? `, newest event ${fmtTime(current.eventsThroughAt)}` : ""}; logic {current.appVersion}+
        {current.logicHash.slice(0, 12)}).
      </p>
      {warnings.length > 0 ? (
        <p role="status">
          {warnings.join(" ")}
          {newerEvents > 0 || latestAttempt?.status === "failed" ? how : null}
        </p>
      ) : null}
    </div>
  );
}
