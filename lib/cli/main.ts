// `npm run cli -- <command> [args]`: the command-line entry point (see lib/cli/registry.ts for the commands).
import { commands } from "./registry";
import { runCli } from "./run-cli";

runCli({ argv: process.argv.slice(2), commands }).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
