import { parseArgs } from "node:util";
import { UsageError, type CliCommand, type CliIo } from "../command";

// Correlation from the command line: run it over the stored events, and print the sessions as auditable
// transactions (the JSON shape other tools read).

function flags<T extends Record<string, { type: "boolean" | "string" }>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: false, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

const correlateCmd: CliCommand = {
  name: "correlate",
  summary: "Rebuild identities, credentials and their lineage, sessions and cross-platform links from the stored events",
  usage: "[--full | --incremental] [--json]",
  help: [
    "  --full          recompute everything from all stored events (the default)",
    "  --incremental   only the events stored since the last run and what they touch (falls back to a full pass",
    "                  when there is no earlier run or they touch more than half of the events)",
  ].join("\n"),
  database: "write",
  async run(args, io: CliIo, ctx) {
    const { values } = flags(args, { json: { type: "boolean" }, full: { type: "boolean" }, incremental: { type: "boolean" } });
    if (values.full && values.incremental) throw new UsageError("Pass --full or --incremental, not both.");
    // Correlation and the checks and findings that read its sessions, as after any ingest.
    const { runAnalysis } = await import("@/lib/analysis/run-analysis");
    const s = await runAnalysis({ ctx, mode: values.incremental ? "incremental" : "full" });
    if (values.json) io.out(JSON.stringify(s, null, 2));
    else
      io.out(
        `Correlated ${s.events.toLocaleString()} of ${s.totalEvents.toLocaleString()} events (${s.mode}` +
          `${s.fallbackReason ? `: ${s.fallbackReason}` : ""}; ${s.newEvents.toLocaleString()} new): ${s.identities} identities, ` +
          `${s.credentials} credentials, ${s.sessions} sessions, ${s.links} links (${s.durationMs} ms); ` +
          `${s.governance.checks} governance checks, ${s.risk.raised} findings raised, ${s.risk.updated} updated, ${s.risk.resolved} resolved.`,
      );
    return 0;
  },
};

const analysisCmd: CliCommand = {
  name: "analysis",
  summary: "Which analysis the verdicts come from: the last run, the events it covers, its logic version, and newer events",
  usage: "[--json]",
  help: "  --json   {current, latestAttempt, newerEvents, newerCapped, logic} (current: null when no analysis has run)",
  database: "read",
  async run(args, io: CliIo) {
    const { values } = flags(args, { json: { type: "boolean" } });
    const { describeAnalysisStatus, getAnalysisStatus } = await import("@/lib/analysis/analysis-status");
    const status = await getAnalysisStatus();
    if (values.json) io.out(JSON.stringify(status, null, 2));
    else {
      io.out(describeAnalysisStatus(status));
      const a = status.latestAttempt;
      if (a)
        io.out(a.status === "failed" ? `The newest run (#${a.id}) failed: ${a.error ?? "no reason recorded"}` : `Run #${a.id} is running.`);
    }
    return 0;
  },
};

const sessionsCmd: CliCommand = {
  name: "sessions",
  summary: "Print every session: initiator, identity, credential, actions, objects changed, source records, links",
  usage: "--json [--correlate]",
  help: [
    "  --json        the report as JSON: {sessions:[{id, platforms, startedAt, endedAt, initiator, identity, credential,",
    "                actions, objectsChanged, events:[{source:{file,index}, nativeId}], links}], credentials:[...]}",
    "  --correlate   run the correlation first (otherwise the last correlation's result is printed)",
  ].join("\n"),
  database: "write",
  async run(args, io: CliIo, ctx) {
    const { values } = flags(args, { json: { type: "boolean" }, correlate: { type: "boolean" } });
    if (values.correlate) {
      // The whole analysis, as everywhere else data is correlated (checks and findings follow the sessions).
      const { runAnalysis } = await import("@/lib/analysis/run-analysis");
      await runAnalysis({ ctx, mode: "full" });
    }
    const { getSessionsReport } = await import("@/lib/correlation/sessions-report");
    const report = await getSessionsReport();
    if (values.json) {
      io.out(JSON.stringify(report));
      return 0;
    }
    for (const s of report.sessions) {
      io.out(
        `${s.startedAt}  ${s.platforms.join("+").padEnd(16)} ${(s.identity?.name ?? "(unknown)").padEnd(32)} ` +
          `${String(s.events.length).padStart(5)} events  ${s.actions.slice(0, 4).join(", ")}${s.actions.length > 4 ? ", …" : ""}`,
      );
    }
    io.out(
      `${report.sessions.length} sessions, ${report.credentials.length} credentials.` +
        (report.sessions.length ? "" : " Run `npm run cli -- correlate` after ingesting."),
    );
    return 0;
  },
};

export const correlateCommands: CliCommand[] = [correlateCmd, analysisCmd, sessionsCmd];
