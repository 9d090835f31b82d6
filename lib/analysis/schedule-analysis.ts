import type { RequestContext } from "@/lib/context/request-context";
import type { CorrelationMode } from "@/lib/correlation/run-correlation";
import { runAnalysis, type AnalysisSummary } from "./run-analysis";

// Background correlation for the web server: each ingest that stored something asks for a run; requests that
// arrive while one is running coalesce into one more run after it, so sessions follow new data without piling
// up work. A failure is logged and does not lose the next request.
//
// Runs are incremental unless someone asks for a full pass (the events stored since the last run and what they
// touch; lib/correlation/run-correlation.ts falls back to a full pass when it must). Coalesced requests take the widest mode and
// the context of a user who asked, if any (otherwise the system's). Governance checks and risk rules
// after it are still full passes over the sessions.

type Pending = { mode: CorrelationMode; ctx: RequestContext };

let running: Promise<void> | null = null;
let pending: Pending | null = null;
let last: { at: string; summary: AnalysisSummary | null; error: string | null } | null = null;

async function loop(): Promise<void> {
  while (pending) {
    const { mode, ctx } = pending;
    pending = null;
    try {
      const summary = await runAnalysis({ ctx, mode });
      last = { at: new Date().toISOString(), summary, error: null };
    } catch (err) {
      last = { at: new Date().toISOString(), summary: null, error: (err as Error).message };
      console.error(`[sessionproof] correlation failed: ${(err as Error).message}`);
    }
  }
}

/** Asks for a run: incremental by default; `ctx` is who asked (a user, or system() for the run after an ingest). */
export function requestCorrelation({ ctx, mode = "incremental" }: { ctx: RequestContext; mode?: CorrelationMode }): void {
  pending = {
    mode: pending?.mode === "full" || mode === "full" ? "full" : "incremental",
    // A user who asked is named rather than the system, whichever request came first.
    ctx: ctx.actor.kind === "system" && pending ? pending.ctx : ctx,
  };
  running ??= loop().finally(() => {
    running = null;
  });
}

/** Resolves when no correlation is running or queued. */
export async function correlationIdle(): Promise<void> {
  while (running) await running;
}

export function correlationStatus(): { running: boolean; last: typeof last } {
  return { running: running !== null, last };
}
