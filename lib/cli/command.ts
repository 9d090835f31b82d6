// One command of `npm run cli -- <command>`. To add one, write lib/cli/commands/<area>.ts exporting a list of
// these, and add one line to lib/cli/registry.ts.
import type { RequestContext } from "@/lib/context/request-context";

export type CliIo = {
  out: (text: string) => void;
  err: (text: string) => void;
};

export type CliCommand = {
  /** The words that select it, e.g. "ledger verify". */
  name: string;
  /** One line for the command list. */
  summary: string;
  /** Options and arguments, e.g. "[--json]". */
  usage?: string;
  /** More text for `<command> --help`. */
  help?: string;
  /**
   * What the command needs from PostgreSQL: "none" starts nothing; "read" and "write" get DATABASE_URL or the
   * embedded server (started, migrated, and stopped afterwards); "write" also applies pending migrations to a
   * server named by DATABASE_URL.
   */
  database: "none" | "read" | "write";
  /**
   * Returns the process exit code: 0 success, 1 failure, 2 usage error. `ctx` is the command line's request
   * context (the operating-system user), built once by runCli and passed to every lib/ function that changes data.
   */
  run: (args: string[], io: CliIo, ctx: RequestContext) => Promise<number>;
};

export class UsageError extends Error {}
