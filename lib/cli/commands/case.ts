import { UsageError, type CliCommand } from "../command";
import { exportCmd, flags } from "./export";

// Cases from the command line, so that a scheduled export can be scripted end to end without the UI:
//   id=$(npm run -s cli -- case create --title "Q4 access review" --session <id> | jq -r .id)
//   npm run cli -- case export "$id" --out q4.zip && npm run cli -- verify-export q4.zip
// The case is made by the same lib/cases functions as the UI (each change in the case history and the audit trail),
// recorded under the operating-system user and host running the command (cli:<user>@<host>).

const createCmd: CliCommand = {
  name: "case create",
  summary: 'Create a case with its sessions, findings and note; prints {"id": ..., "number": ...}',
  usage: "--title <text> [--session <id>]... [--finding <id>]... [--note <text>]...",
  help: [
    "Prints one line of JSON on stdout and nothing else (messages go to stderr). Every session and finding id is",
    "checked before the case is created: an unknown one creates nothing and exits 1.",
    "  --title <text>      the case's title (required)",
    "  --session <id>      cite a session (repeat for more)",
    "  --finding <id>      cite a finding (repeat for more)",
    "  --note <text>       add a note (markdown; repeat for more)",
    "  --description <text>, --severity <low|medium|high|critical>",
  ].join("\n"),
  database: "write",
  async run(args, io, ctx) {
    const { values, positionals } = flags(args, {
      title: { type: "string" },
      session: { type: "string", multiple: true },
      finding: { type: "string", multiple: true },
      note: { type: "string", multiple: true },
      description: { type: "string" },
      severity: { type: "string" },
    });
    if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]} (options take the form --session <id>)`);
    if (values.title === undefined) throw new UsageError("--title is required");
    const { createCaseInput, noteInput } = await import("@/lib/cases/types");
    const input = createCaseInput.safeParse({ title: values.title, description: values.description, severity: values.severity });
    if (!input.success) {
      throw new UsageError(input.error.issues.map((i) => `--${String(i.path[0] ?? "title")}: ${i.message}`).join("; "));
    }
    const notes = (values.note ?? []).map((body) => {
      const n = noteInput.safeParse({ body });
      if (!n.success) throw new UsageError(`--note: ${n.error.issues[0].message}`);
      return n.data;
    });
    const refs = [
      ...[...new Set(values.session ?? [])].map((refId) => ({ itemType: "session" as const, refId: refId.trim() })),
      ...[...new Set(values.finding ?? [])].map((refId) => ({ itemType: "finding" as const, refId: refId.trim() })),
    ];

    const { describeItems, itemKey } = await import("@/lib/cases/describe-items");
    const { AppError } = await import("@/lib/errors");
    const found = await describeItems({ refs });
    const unknown = refs.filter((r) => {
      const d = found.get(itemKey(r.itemType, r.refId));
      return !d || d.missing;
    });
    if (unknown.length) {
      throw new AppError(
        "NOT_FOUND",
        `${unknown.map((r) => `no ${r.itemType} ${r.refId}`).join(", ")}. No case was created. ` +
          "Copy the ids from the Sessions or Findings page (or the API), then run the command again.",
      );
    }

    const { createCase } = await import("@/lib/cases/create-case");
    const { addCaseItem } = await import("@/lib/cases/add-case-item");
    const { addNote } = await import("@/lib/cases/add-note");
    const created = await createCase({ ctx, input: input.data });
    try {
      for (const r of refs)
        await addCaseItem({ ctx, caseId: created.id, input: { itemType: r.itemType, refId: r.refId, annotation: undefined } });
      for (const n of notes) await addNote({ ctx, caseId: created.id, input: n });
    } catch (err) {
      // Only when an item vanished between the check and the insert (a correlation run regrouped it): say what exists.
      throw new AppError(
        "CONFLICT",
        `Case #${created.number} (${created.id}) was created, but adding its evidence failed: ${(err as Error).message}`,
      );
    }
    io.out(JSON.stringify({ id: created.id, number: created.number }));
    return 0;
  },
};

// `case export` is `export` under the case group, so that create, export and verify read as one script.
const caseExportCmd: CliCommand = { ...exportCmd, name: "case export", summary: "Write a case's evidence package (same as export)" };

export const caseCommands: readonly CliCommand[] = [createCmd, caseExportCmd];
