import { parseArgs } from "node:util";
import { UsageError, type CliCommand, type CliIo } from "../command";

// The governance checks from the command line: one object per privileged action, for the whole store or a time
// range, as the analysis after the last ingest left them (`npm run cli -- ingest` runs it).

const governanceCmd: CliCommand = {
  name: "governance",
  summary: "Print every governance check (approval and JIT matching of privileged actions)",
  usage: "[--json] [--from <date>] [--to <date>] [--status <status|problem>]",
  help: [
    '  --json            a JSON array of {"eventId","platform","action","actor","status","reason","approval","grant"}:',
    "                    approval and grant are the ticket's and the grant's own ids (null when none), reason the",
    "                    status's plain-words reason (followed by the other failing rules)",
    "  --from, --to      only actions in this time range (ISO 8601; a bare date --to includes that whole day)",
    "  --status          only checks failing this rule (e.g. standing_privilege), ok, or problem (any failure)",
  ].join("\n"),
  database: "read",
  async run(args, io: CliIo) {
    let values: { json?: boolean; from?: string; to?: string; status?: string };
    try {
      values = parseArgs({
        args,
        options: { json: { type: "boolean" }, from: { type: "string" }, to: { type: "string" }, status: { type: "string" } },
        allowPositionals: false,
        strict: true,
      }).values;
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const { checksQuery } = await import("@/lib/governance/types");
    const parsed = checksQuery.safeParse({ from: values.from, to: values.to, status: values.status, sort: "time", dir: "asc" });
    if (!parsed.success) {
      throw new UsageError(parsed.error.issues.map((i) => `--${String(i.path[0])}: ${i.message}`).join("; "));
    }
    const { offset: _offset, limit: _limit, ...filters } = parsed.data;
    const { iterateGovernanceChecks, toCliCheck } = await import("@/lib/governance/export-governance-checks");
    let n = 0;
    if (values.json) io.out("[");
    for await (const c of iterateGovernanceChecks(filters)) {
      const x = toCliCheck(c);
      if (values.json) io.out(`${n ? "," : ""}${JSON.stringify(x)}`);
      else
        io.out(
          `${c.time}  ${x.platform.padEnd(16)} ${x.action.padEnd(28)} ${(x.actor ?? "(unknown)").padEnd(36)} ${x.status.padEnd(22)} ${x.reason}`,
        );
      n++;
    }
    if (values.json) io.out("]");
    else
      io.out(
        `${n} governance checks.${n ? "" : " Ingest platform logs with their approvals and grants (npm run cli -- ingest <files>) first."}`,
      );
    return 0;
  },
};

export const governanceCommands: CliCommand[] = [governanceCmd];
