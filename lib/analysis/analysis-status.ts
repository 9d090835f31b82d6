import { db } from "@/lib/db";
import { logicVersion } from "./logic-version";

// Which analysis the verdicts on screen come from, and whether data arrived after it: read by every page and
// report that shows a governance check, a finding or a control status (components/analysis-as-of.tsx, the
// compliance and governance downloads, the CLI).

export type AnalysisRunInfo = {
  id: string;
  status: "running" | "succeeded" | "failed";
  mode: string;
  requestedBy: string | null;
  startedAt: string;
  finishedAt: string | null;
  /** The highest event id the run covers, and the newest event time among them. */
  eventsThroughId: string;
  eventsThroughAt: string | null;
  eventCount: number;
  appVersion: string;
  logicHash: string;
  error: string | null;
};

export type AnalysisStatus = {
  /** The run the verdicts on screen come from: the newest that succeeded (null: no analysis has run yet). */
  current: AnalysisRunInfo | null;
  /** A newer run that is still running or that failed (its verdicts are not on screen). */
  latestAttempt: AnalysisRunInfo | null;
  /** Events stored after the current run's data (capped at NEWER_CAP; `newerCapped` says so). */
  newerEvents: number;
  newerCapped: boolean;
  /** The logic version of this server; differs from current's when rules changed since it ran. */
  logic: { appVersion: string; logicHash: string; stale: boolean };
};

const NEWER_CAP = 100_000;

type Row = {
  id: bigint;
  status: string;
  mode: string;
  requestedBy: string | null;
  startedAt: Date;
  finishedAt: Date | null;
  eventsThroughId: bigint;
  eventsThroughAt: Date | null;
  eventCount: bigint;
  appVersion: string;
  logicHash: string;
  error: string | null;
};

const info = (r: Row): AnalysisRunInfo => ({
  id: r.id.toString(),
  status: r.status as AnalysisRunInfo["status"],
  mode: r.mode,
  requestedBy: r.requestedBy,
  startedAt: r.startedAt.toISOString(),
  finishedAt: r.finishedAt?.toISOString() ?? null,
  eventsThroughId: r.eventsThroughId.toString(),
  eventsThroughAt: r.eventsThroughAt?.toISOString() ?? null,
  eventCount: Number(r.eventCount),
  appVersion: r.appVersion,
  logicHash: r.logicHash,
  error: r.error,
});

export async function getAnalysisStatus(): Promise<AnalysisStatus> {
  const [current, latest] = await Promise.all([
    db().analysisRun.findFirst({ where: { status: "succeeded" }, orderBy: { id: "desc" } }),
    db().analysisRun.findFirst({ orderBy: { id: "desc" } }),
  ]);
  const through = current?.eventsThroughId ?? 0n;
  // Counting stops at the cap: the warning needs "how many, roughly", not a scan of millions of rows.
  const [{ n }] = await db().$queryRaw<{ n: bigint }[]>`
    SELECT count(*) AS n FROM (SELECT 1 FROM event WHERE id > ${through} LIMIT ${NEWER_CAP + 1}) newer`;
  const newer = Number(n);
  const here = logicVersion();
  return {
    current: current ? info(current) : null,
    latestAttempt: latest && (!current || latest.id > current.id) ? info(latest) : null,
    newerEvents: Math.min(newer, NEWER_CAP),
    newerCapped: newer > NEWER_CAP,
    logic: { appVersion: here.appVersion, logicHash: here.logicHash, stale: current !== null && current.logicHash !== here.logicHash },
  };
}

/** The analysis line of a download or CLI output, in words. */
export function describeAnalysisStatus(s: AnalysisStatus): string {
  if (!s.current) return "No analysis has run yet: there are no verdicts to report.";
  const c = s.current;
  const parts = [
    `Analysis run #${c.id} finished ${c.finishedAt} over ${c.eventCount.toLocaleString("en-US")} events (through event #${c.eventsThroughId}), logic ${c.appVersion}+${c.logicHash.slice(0, 12)}.`,
  ];
  if (s.newerEvents > 0)
    parts.push(
      `${s.newerCapped ? "More than " : ""}${s.newerEvents.toLocaleString("en-US")} events arrived after it and are not in these verdicts.`,
    );
  if (s.logic.stale) parts.push("The rules changed since (this server runs different logic); the next analysis applies them.");
  return parts.join(" ");
}
