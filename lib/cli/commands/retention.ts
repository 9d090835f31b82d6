import { parseArgs } from "node:util";
import { UsageError, type CliCommand, type CliIo } from "../command";

// Retention from the command line (for a cron job): purge expired raw payloads now. Held records are kept; the
// run is a job row like the UI's and is audited (actor "cli").

const purgeCmd: CliCommand = {
  name: "retention purge",
  summary: "Purge raw payloads past their source's retention (legal holds are kept; leaf hashes stay)",
  usage: "[--json]",
  help: [
    "For every source with a retention policy, clears the payload of raw records older than its days (age from the",
    "record's newest event time, else when it was received), except records under an active legal hold. Leaf hashes",
    "stay, so `ledger verify` still passes. Prints how many were purged and how many were kept because held.",
    "  --json   print the result as JSON",
  ].join("\n"),
  database: "write",
  async run(args, io: CliIo, ctx) {
    let json = false;
    try {
      json = Boolean(parseArgs({ args, options: { json: { type: "boolean" } }, allowPositionals: false, strict: true }).values.json);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const { purgeExpired } = await import("@/lib/retention/purge-expired");
    const r = await purgeExpired({ ctx });
    if (json) io.out(JSON.stringify(r, null, 2));
    else {
      io.out(
        `Purged ${r.purged.toLocaleString("en")} payloads; kept ${r.held.toLocaleString("en")} expired records under a legal hold (job ${r.jobId}).`,
      );
      for (const s of r.sources) io.out(`  source ${s.sourceId}: ${s.days} days (before ${s.cutoff}): ${s.purged} purged, ${s.held} held`);
      if (r.sources.length === 0) io.out("No source has a retention policy: nothing to purge. Set one on the Retention page.");
    }
    return 0;
  },
};

export const retentionCommands: readonly CliCommand[] = [purgeCmd];
