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
  summary: "Recompute the evidence ledger from the records and check every signed checkpoint, append batch and event",
  usage: "[--json] [--public-key <pem file>] [--against <checkpoint log>]",
  help: [
    "Streams every raw record in leaf order and checks: leaf indices are exactly 0..n-1 (no deleted or reordered",
    "record), each payload matches its content and leaf hashes (purged payloads keep their leaf hash), each leaf",
    "belongs to a signed append batch that recorded the same leaf hash (a row written behind the application's",
    "back, or a record replaced with recomputed hashes, is named), each normalized event matches its content hash,",
    "its columns match its data, and a record's events are those its batch signed at ingest; every checkpoint is",
    "signed by the ledger key of its range (after a rotation, each key is vouched for by the one before it),",
    "numbered without gaps, names its predecessor, its root equals the recomputed root,",
    "and it is consistent with the next (RFC 9162 consistency proofs); the audit trail matches its ledger records.",
    "Records after the latest checkpoint are reported as not yet signed. Exit code 0 when all holds, 1 otherwise.",
    "A rollback of the whole database to an earlier state is consistent with itself: only checkpoints kept outside",
    "the database show it. --against compares with such a copy (the checkpoint log, see `ledger checkpoints`).",
    "  --json                 print the full report as JSON",
    "  --public-key <file>    check signatures with this SPKI PEM instead of the configured key (after a key",
    "                         rotation: the newest key; older keys are checked through their rotation statements)",
    "  --against <file>       checkpoints published outside the database (one JSON per line): each must be in the",
    "                         database, unchanged, and the records must still give its root",
  ].join("\n"),
  database: "read",
  async run(args, io) {
    const { values, positionals } = flags(args, {
      json: { type: "boolean" },
      "public-key": { type: "string" },
      against: { type: "string" },
    });
    if (positionals.length) throw new UsageError(`unexpected argument: ${positionals[0]}`);
    const fs = await import("node:fs");
    const { verifyLedger } = await import("@/lib/ledger/verify-ledger");
    const { describeLocator } = await import("@/lib/ledger/ledger-error");
    const publicKeyPem = values["public-key"] ? fs.readFileSync(values["public-key"], "utf8") : undefined;
    if (values.against && !fs.existsSync(values.against)) throw new UsageError(`--against ${values.against}: no such file`);
    // Audit entries not yet in the ledger are appended first, so that the verdict covers them too (loading the
    // module also registers the audit trail's check).
    const { flushAuditToLedger } = await import("@/lib/audit/flush-audit-to-ledger");
    await flushAuditToLedger().catch((e: Error) =>
      io.err(`[sessionproof] could not flush the audit trail into the ledger first: ${e.message}`),
    );
    const report = await verifyLedger({ publicKeyPem, against: values.against });
    if (values.json) {
      json(io, report);
      return report.ok ? 0 : 1;
    }
    io.out(
      `Ledger: ${report.leaves} records (${report.purged} purged), ${report.checkpoints} checkpoints, ${report.batches} append batches, ` +
        `${report.events} events, key ${report.keys.at(-1)?.keyId ?? "(none)"} (fingerprint ${report.keyFingerprint ?? "(none)"})`,
    );
    if (report.keys.length > 1) {
      io.out(`Key rotations: ${report.keys.length - 1}; the checkpoints chain across them:`);
      for (const k of report.keys) io.out(`  ${describeKeyRange(k)}`);
    }
    if (report.latestCheckpoint) {
      const c = report.latestCheckpoint;
      io.out(`Latest checkpoint: #${c.seq}, id ${c.id} (tree size ${c.treeSize}, ${c.createdAt})`);
    }
    if (report.unsigned) {
      const u = report.unsigned;
      io.out(
        `Not yet signed: ${u.leaves} record${u.leaves === 1 ? "" : "s"} after the latest checkpoint (leaves ${u.fromLeaf}..${u.fromLeaf + u.leaves - 1}); ` +
          "the next checkpoint signs them (`ledger checkpoint`).",
      );
    }
    if (report.unbatchedLegacy) {
      io.out(`${report.unbatchedLegacy} records predate signed append batches (an earlier version): checked against the checkpoints only.`);
    }
    if (report.published) {
      const p = report.published;
      io.out(
        `Compared with ${p.checkpoints} checkpoints published in ${p.file}${p.latestSeq !== null ? ` (latest #${p.latestSeq})` : ""}.`,
      );
    }
    if (report.ok) {
      io.out(
        `OK: every record matches its hashes and its signed append batch, leaf indices are dense, every event matches what was ` +
          `signed at ingest, every checkpoint is signed, numbered and consistent (${report.durationMs} ms).`,
      );
      return 0;
    }
    const total = report.errors.length + report.omittedErrors;
    const first = report.errors[0];
    io.out(`FAILED: ${total} problem${total === 1 ? "" : "s"} found (${report.durationMs} ms).`);
    if (first?.eventId) io.out(`First bad event: ${first.eventId}${first.rawRecordId ? ` (raw record ${first.rawRecordId})` : ""}`);
    else if (first?.auditId) io.out(`First bad audit entry: ${first.auditId}`);
    else if (first?.rawRecordId)
      io.out(`First bad raw record: ${first.rawRecordId}${first.leafIndex !== undefined ? ` (leaf ${first.leafIndex})` : ""}`);
    else if (first?.checkpointId) io.out(`First bad checkpoint: ${first.checkpointId}`);
    else if (first?.checkpointSeq !== undefined) io.out(`First missing checkpoint: #${first.checkpointSeq}`);
    else if (first?.batchSeq !== undefined) io.out(`First bad append batch: #${first.batchSeq}`);
    else if (first?.leafIndex !== undefined) io.out(`First bad leaf: ${first.leafIndex}`);
    for (const e of report.errors.slice(0, 20)) io.out(`  - [${e.kind}] ${describeLocator(e) ?? "ledger"}: ${e.message}`);
    if (total > 20) io.out(`  … and ${total - 20} more (use --json to list them)`);
    return 1;
  },
};

const checkpoints: CliCommand = {
  name: "ledger checkpoints",
  summary: "Print the signed checkpoints after number N as JSON lines, to keep outside the database",
  usage: "[--since <N>]",
  help: [
    "Each line is one checkpoint (sequence number, tree size, root, time, predecessor, signed note and signature),",
    "the same lines the installation appends to its checkpoint log (SESSIONPROOF_CHECKPOINT_LOG, default",
    "data/ledger-checkpoints.ndjson). Keep them where a database user cannot reach (another host, WORM storage, a",
    "ticket); `ledger verify --against <file>` then shows a rolled-back or rewritten ledger.",
    "  --since <N>            only checkpoints numbered above N (default 0: all)",
  ].join("\n"),
  database: "read",
  async run(args, io) {
    const { values, positionals } = flags(args, { since: { type: "string" } });
    if (positionals.length) throw new UsageError(`unexpected argument: ${positionals[0]}`);
    const since = values.since ?? "0";
    if (!/^\d{1,15}$/.test(since)) throw new UsageError(`--since ${since}: give a checkpoint number (0 for all)`);
    const { listCheckpoints } = await import("@/lib/ledger/list-checkpoints");
    const { checkpointLogLine } = await import("@/lib/ledger/checkpoint-log");
    for (const cp of await listCheckpoints({ since: Number(since) })) io.out(checkpointLogLine(cp).trimEnd());
    return 0;
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
      `${cp.created ? "Created" : "Unchanged since"} checkpoint #${cp.seq} (id ${cp.id}): tree size ${cp.treeSize}, ` +
        `root ${cp.rootHash.toString("hex")}, ${cp.createdAt.toISOString()}, signed by ${cp.keyFingerprint}`,
    );
    return 0;
  },
};

const keyRange = (k: { afterCheckpoint: number; untilCheckpoint: number | null }) =>
  k.untilCheckpoint === null ? `checkpoints #${k.afterCheckpoint + 1} on` : `checkpoints #${k.afterCheckpoint + 1}-#${k.untilCheckpoint}`;
const describeKeyRange = (k: {
  seq: number;
  keyId: string;
  fingerprint: string;
  afterCheckpoint: number;
  untilCheckpoint: number | null;
}) => `key #${k.seq} ${k.keyId} signs ${keyRange(k)} (fingerprint ${k.fingerprint})`;

const key: CliCommand = {
  name: "ledger key",
  summary: "Print the checkpoint signing public key (PEM), its key id and fingerprint",
  usage: "[--json]",
  help: [
    "Creates the key in the data folder on first use, unless SESSIONPROOF_LEDGER_PRIVATE_KEY is set. The fingerprint is the",
    "hex SHA-256 of the key's DER SubjectPublicKeyInfo; give it to auditors out of band (verify.mjs --expect-key). The key id",
    "is its first 16 hex digits. `ledger keys` lists earlier keys (after a rotation).",
  ].join("\n"),
  database: "none",
  async run(args, io) {
    const { values, positionals } = flags(args, { json: { type: "boolean" } });
    if (positionals.length) throw new UsageError(`unexpected argument: ${positionals[0]}`);
    const { loadOrCreateSigningKey } = await import("@/lib/ledger/signing-key");
    const k = await loadOrCreateSigningKey();
    if (values.json) {
      json(io, {
        algorithm: "Ed25519",
        keyId: k.keyId,
        fingerprint: k.fingerprint,
        publicKeyPem: k.publicKeyPem,
        source: k.source,
        file: k.file ?? null,
      });
      return 0;
    }
    io.out(`Key id: ${k.keyId}`);
    io.out(`Fingerprint: ${k.fingerprint}`);
    io.out(`Source: ${k.source === "env" ? "SESSIONPROOF_LEDGER_PRIVATE_KEY" : k.file}`);
    io.out(k.publicKeyPem.trimEnd());
    return 0;
  },
};

const keys: CliCommand = {
  name: "ledger keys",
  summary: "List every key the ledger was signed with (after rotations) and which checkpoints each signs",
  usage: "[--json]",
  database: "read",
  async run(args, io) {
    const { values, positionals } = flags(args, { json: { type: "boolean" } });
    if (positionals.length) throw new UsageError(`unexpected argument: ${positionals[0]}`);
    const { loadKeyRing } = await import("@/lib/ledger/ledger-keys");
    const ring = await loadKeyRing();
    if (values.json) {
      json(io, { keys: ring.toJson(), problems: ring.problems });
      return ring.problems.length ? 1 : 0;
    }
    for (const k of ring.keys) io.out(describeKeyRange(k));
    for (const p of ring.problems) io.out(`PROBLEM: ${p}`);
    return ring.problems.length ? 1 : 0;
  },
};

const rotateKey: CliCommand = {
  name: "ledger rotate-key",
  summary: "Start a new checkpoint signing key; the old public key stays, vouched for by a signed rotation statement",
  usage: "[--json]",
  help: [
    "Signs a checkpoint with the current key (the last one it signs), then creates a new Ed25519 key in the data folder",
    "and stores a rotation statement naming both keys and that checkpoint, signed by the old key and the new one. Later",
    "checkpoints and append batches are signed by the new key; earlier ones still verify with the old public key, which",
    "stays in the ledger, in Settings, at /api/v1/ledger/public-key and in every evidence package (keys.json). The old",
    "private key is moved to ledger-signing-key.retired-<key id>.pem: delete it once you no longer need it (nothing",
    "verifies with it). Give auditors the new fingerprint out of band: verify.mjs --expect-key pins the newest key.",
    "Refused when the key comes from SESSIONPROOF_LEDGER_PRIVATE_KEY (rotate it where that value is managed).",
  ].join("\n"),
  database: "write",
  async run(args, io) {
    const { values, positionals } = flags(args, { json: { type: "boolean" } });
    if (positionals.length) throw new UsageError(`unexpected argument: ${positionals[0]}`);
    const { createCheckpoint } = await import("@/lib/ledger/create-checkpoint");
    const { rotateSigningKey } = await import("@/lib/ledger/ledger-keys");
    const { insertAudit } = await import("@/lib/audit/insert-audit");
    const { auditRow } = await import("@/lib/audit/record-audit");
    const { forCli, osUser } = await import("@/lib/context/request-context");
    // Loading the audit module registers its flush, which createCheckpoint then runs before signing.
    await import("@/lib/audit/flush-audit-to-ledger");
    const ctx = forCli(osUser());
    const last = await createCheckpoint({});
    const rotated = await rotateSigningKey({
      afterCheckpoint: last.seq,
      inTransaction: (client, r) =>
        insertAudit(
          client,
          auditRow(ctx, { type: "ledger.key_rotated", fromFingerprint: r.from, toFingerprint: r.to, afterCheckpoint: last.seq }),
        ),
    });
    // The first checkpoint of the new key (it covers the audit entry of the rotation).
    const first = await createCheckpoint({});
    if (values.json) {
      json(io, {
        previous: { keyId: rotated.previous.keyId, fingerprint: rotated.previous.fingerprint, lastCheckpoint: last.seq },
        current: { keyId: rotated.current.keyId, fingerprint: rotated.current.fingerprint, firstCheckpoint: first.seq },
        retiredKeyFile: rotated.retiredKeyFile,
      });
      return 0;
    }
    io.out(`Rotated the ledger signing key after checkpoint #${last.seq}.`);
    io.out(`Old key: ${rotated.previous.keyId} (fingerprint ${rotated.previous.fingerprint}) signs checkpoints up to #${last.seq}.`);
    io.out(`New key: ${rotated.current.keyId} (fingerprint ${rotated.current.fingerprint}) signed checkpoint #${first.seq}.`);
    io.out(`The old private key is in ${rotated.retiredKeyFile}: delete it once you no longer need it.`);
    io.out("Give auditors the new fingerprint out of band; packages exported from now on are signed by the new key.");
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

export const ledgerCommands: CliCommand[] = [verify, checkpoint, checkpoints, key, keys, rotateKey, proof];
