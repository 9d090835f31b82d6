import { parseArgs } from "node:util";
import { UsageError, type CliCommand, type CliIo } from "../command";

// The evidence ledger from the command line: verify it end to end, sign a checkpoint now, show the public key,
// print one record's inclusion proof. Ledger modules are imported when a command runs, so that `--help` and
// `ledger key` do not load the database client.

function flags<T extends Record<string, { type: "boolean" | "string" }>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

const json = (io: CliIo, value: unknown) => io.out(JSON.stringify(value, null, 2));

const verify: CliCommand = {
  name: "ledger verify",
  summary: "Recompute the evidence ledger from the records and check every signed checkpoint",
  usage: "[--json] [--public-key <pem file>]",
  help: [
    "Streams every raw record in leaf order and checks: leaf indices are exactly 0..n-1 (no deleted or reordered",
    "record), each payload matches its content and leaf hashes (purged payloads keep their leaf hash), every",
    "checkpoint is signed by the ledger key, its root equals the recomputed root, and each checkpoint is",
    "consistent with the next (RFC 9162 consistency proofs). Exit code 0 when all holds, 1 otherwise.",
    "  --json                 print the full report as JSON",
    "  --public-key <file>    check signatures with this SPKI PEM instead of the configured key",
  ].join("\n"),
  database: "read",
  async run(args, io) {
    const { values, positionals } = flags(args, { json: { type: "boolean" }, "public-key": { type: "string" } });
    if (positionals.length) throw new UsageError(`unexpected argument: ${positionals[0]}`);
    const fs = await import("node:fs");
    const { verifyLedger } = await import("@/lib/ledger/verify-ledger");
    const publicKeyPem = values["public-key"] ? fs.readFileSync(values["public-key"], "utf8") : undefined;
    // Audit entries not yet in the ledger are appended first, so that the verdict covers them too.
    const { flushAuditToLedger } = await import("@/lib/audit/flush-audit-to-ledger");
    await flushAuditToLedger().catch((e: Error) =>
      io.err(`[sessionproof] could not flush the audit trail into the ledger first: ${e.message}`),
    );
    const report = await verifyLedger({ publicKeyPem });
    if (values.json) {
      json(io, report);
      return report.ok ? 0 : 1;
    }
    io.out(
      `Ledger: ${report.leaves} records (${report.purged} purged), ${report.checkpoints} checkpoints, ` +
        `key ${report.keyFingerprint ?? "(none)"}`,
    );
    if (report.latestCheckpoint) {
      const c = report.latestCheckpoint;
      io.out(`Latest checkpoint: ${c.id} (tree size ${c.treeSize}, ${c.createdAt})`);
    }
    if (report.ok) {
      io.out(
        `OK: every record matches its hashes, leaf indices are dense, every checkpoint is signed and consistent (${report.durationMs} ms).`,
      );
      return 0;
    }
    const total = report.errors.length + report.omittedErrors;
    const first = report.errors[0];
    io.out(`FAILED: ${total} problem${total === 1 ? "" : "s"} found (${report.durationMs} ms).`);
    if (first?.rawRecordId)
      io.out(`First bad raw record: ${first.rawRecordId}${first.leafIndex !== undefined ? ` (leaf ${first.leafIndex})` : ""}`);
    else if (first?.leafIndex !== undefined) io.out(`First bad leaf: ${first.leafIndex}`);
    else if (first?.checkpointId) io.out(`First bad checkpoint: ${first.checkpointId}`);
    for (const e of report.errors.slice(0, 20)) io.out(`  - [${e.kind}] ${e.message}`);
    if (total > 20) io.out(`  … and ${total - 20} more (use --json to list them)`);
    return 1;
  },
};

const checkpoint: CliCommand = {
  name: "ledger checkpoint",
  summary: "Sign a checkpoint over every record appended so far (no-op when nothing was added)",
  usage: "[--json]",
  database: "write",
  async run(args, io) {
    const { values, positionals } = flags(args, { json: { type: "boolean" } });
    if (positionals.length) throw new UsageError(`unexpected argument: ${positionals[0]}`);
    const { createCheckpoint } = await import("@/lib/ledger/create-checkpoint");
    const { checkpointToJson } = await import("@/lib/ledger/checkpoint-row");
    // Loading the audit module registers its flush, which createCheckpoint then runs before signing.
    await import("@/lib/audit/flush-audit-to-ledger");
    const cp = await createCheckpoint({});
    if (values.json) {
      json(io, { created: cp.created, checkpoint: checkpointToJson(cp) });
      return 0;
    }
    io.out(
      `${cp.created ? "Created" : "Unchanged since"} checkpoint ${cp.id}: tree size ${cp.treeSize}, ` +
        `root ${cp.rootHash.toString("hex")}, ${cp.createdAt.toISOString()}, signed by ${cp.keyFingerprint}`,
    );
    return 0;
  },
};

const key: CliCommand = {
  name: "ledger key",
  summary: "Print the checkpoint signing public key (PEM) and its fingerprint",
  usage: "[--json]",
  help: "Creates the key in the data folder on first use, unless SESSIONPROOF_LEDGER_PRIVATE_KEY is set.",
  database: "none",
  async run(args, io) {
    const { values, positionals } = flags(args, { json: { type: "boolean" } });
    if (positionals.length) throw new UsageError(`unexpected argument: ${positionals[0]}`);
    const { loadOrCreateSigningKey } = await import("@/lib/ledger/signing-key");
    const k = await loadOrCreateSigningKey();
    if (values.json) {
      json(io, { algorithm: "Ed25519", fingerprint: k.fingerprint, publicKeyPem: k.publicKeyPem, source: k.source, file: k.file ?? null });
      return 0;
    }
    io.out(`Fingerprint: ${k.fingerprint}`);
    io.out(`Source: ${k.source === "env" ? "SESSIONPROOF_LEDGER_PRIVATE_KEY" : k.file}`);
    io.out(k.publicKeyPem.trimEnd());
    return 0;
  },
};

const proof: CliCommand = {
  name: "ledger proof",
  summary: "Print the inclusion proof of one raw record against the latest (or a given) checkpoint, as JSON",
  usage: "<rawRecordId> [--checkpoint <id>]",
  database: "read",
  async run(args, io) {
    const { values, positionals } = flags(args, { checkpoint: { type: "string" } });
    if (positionals.length !== 1) throw new UsageError("give exactly one raw record id");
    const { getInclusionProof } = await import("@/lib/ledger/get-inclusion-proof");
    json(io, await getInclusionProof({ rawRecordId: positionals[0], checkpointId: values.checkpoint }));
    return 0;
  },
};

export const ledgerCommands: CliCommand[] = [verify, checkpoint, key, proof];
