import { EnvError } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { forCli, osHost, osUser } from "@/lib/context/request-context";
import { UsageError, type CliCommand, type CliIo } from "./command";
import { openCliDatabase, type CliDatabase } from "./database";

// The dispatcher behind `npm run cli -- <command> [args]`: picks the command whose words match the start of the
// arguments (longest first), gives it a database when it needs one, and always releases that database, also
// on Ctrl-C, so that an embedded PostgreSQL started here never outlives the command.

const defaultIo: CliIo = {
  out: (text) => process.stdout.write(text.endsWith("\n") ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith("\n") ? text : `${text}\n`),
};

function commandList(commands: readonly CliCommand[], prefix = ""): string {
  const shown = commands.filter((c) => c.name.startsWith(prefix));
  const width = Math.max(...shown.map((c) => c.name.length));
  return shown.map((c) => `  ${c.name.padEnd(width)}   ${c.summary}${c.usage ? `  ${c.usage}` : ""}`).join("\n");
}

export function helpText(commands: readonly CliCommand[]): string {
  return [
    "Sessionproof command line",
    "",
    "Usage: npm run cli -- <command> [options]",
    "",
    "Commands:",
    commandList(commands),
    "",
    "Database: the PostgreSQL server named by DATABASE_URL, otherwise the embedded one in the data folder",
    "(SESSIONPROOF_DATA_DIR, default ./data), started for the command and stopped after it.",
    "`npm run cli -- <command> --help` describes one command.",
  ].join("\n");
}

function commandHelp(c: CliCommand): string {
  return [`Usage: npm run cli -- ${c.name}${c.usage ? ` ${c.usage}` : ""}`, "", c.summary, ...(c.help ? ["", c.help] : [])].join("\n");
}

function findCommand(commands: readonly CliCommand[], argv: string[]): { command: CliCommand; rest: string[] } | null {
  const sorted = [...commands].sort((a, b) => b.name.split(" ").length - a.name.split(" ").length);
  for (const command of sorted) {
    const words = command.name.split(" ");
    if (words.every((w, i) => argv[i] === w)) return { command, rest: argv.slice(words.length) };
  }
  return null;
}

export async function runCli({
  argv,
  commands,
  io = defaultIo,
}: {
  argv: string[];
  commands: readonly CliCommand[];
  io?: CliIo;
}): Promise<number> {
  if (argv.length === 0 || ["--help", "-h", "help"].includes(argv[0])) {
    io.out(helpText(commands));
    return argv.length === 0 ? 2 : 0;
  }
  const found = findCommand(commands, argv);
  if (!found) {
    const group = commands.some((c) => c.name.startsWith(`${argv[0]} `));
    io.err(
      group
        ? `Unknown ${argv[0]} command: ${argv.slice(1).join(" ") || "(none)"}. The ${argv[0]} commands are:\n${commandList(commands, `${argv[0]} `)}`
        : `Unknown command: ${argv.join(" ")}\n\n${helpText(commands)}`,
    );
    return 2;
  }
  const { command, rest } = found;
  if (rest.includes("--help") || rest.includes("-h")) {
    io.out(commandHelp(command));
    return 0;
  }

  let database: CliDatabase | null = null;
  const release = async () => {
    const current = database;
    database = null;
    if (!current) return;
    // Audit entries written by the command go into the ledger now, not from a timer after the database stopped.
    const { drainAuditFlush } = await import("@/lib/audit/flush-audit-to-ledger");
    await drainAuditFlush().catch((err: Error) => io.err(`[audit] could not append the audit trail to the ledger: ${err.message}`));
    const { closeDb } = await import("@/lib/db");
    await closeDb();
    await current.close();
  };
  const onSignal = (signal: NodeJS.Signals) => {
    io.err(`${signal}: stopping`);
    void release().finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    if (command.database !== "none") {
      database = await openCliDatabase({ migrate: command.database === "write", log: (m) => io.err(`[sessionproof] ${m}`) });
      process.env.DATABASE_URL = database.url;
    }
    return await command.run(rest, io, forCli(osUser(), osHost()));
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`${err.message}\n\n${commandHelp(command)}`);
      return 2;
    }
    if (err instanceof EnvError) {
      io.err(err.message);
      return 2;
    }
    // AppError messages are written for people; anything else is unexpected, so say where to find the stack.
    io.err(`error: ${err instanceof Error ? err.message : String(err)}`);
    if (!(err instanceof AppError) && !process.env.SESSIONPROOF_DEBUG) io.err("(set SESSIONPROOF_DEBUG=1 to see the stack trace)");
    if (process.env.SESSIONPROOF_DEBUG && err instanceof Error && err.stack) io.err(err.stack);
    return 1;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await release();
  }
}
