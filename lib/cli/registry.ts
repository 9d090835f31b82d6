import type { CliCommand } from "./command";
import { caseCommands } from "./commands/case";
import { correlateCommands } from "./commands/correlate";
import { dbCommands } from "./commands/db";
import { demoCommands } from "./commands/demo";
import { exportCommands } from "./commands/export";
import { governanceCommands } from "./commands/governance";
import { ingestCommands } from "./commands/ingest";
import { ledgerCommands } from "./commands/ledger";
import { openapiCommands } from "./commands/openapi";
import { retentionCommands } from "./commands/retention";

// Every command of `npm run cli`. Add a file under lib/cli/commands/ and one line here.
export const commands: readonly CliCommand[] = [
  ...ingestCommands,
  ...ledgerCommands,
  ...correlateCommands,
  ...governanceCommands,
  ...demoCommands,
  ...caseCommands,
  ...exportCommands,
  ...retentionCommands,
  ...dbCommands,
  ...openapiCommands,
];
