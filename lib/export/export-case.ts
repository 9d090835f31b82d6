import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Writable } from "node:stream";
import { recordAudit } from "@/lib/audit/record-audit";
import { recordCaseActivity } from "@/lib/cases/case-activity";
import type { Actor, RequestContext } from "@/lib/context/request-context";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { checkpointNote } from "@/lib/ledger/checkpoint-note";
import { checkpointToJson, type LedgerCheckpoint } from "@/lib/ledger/checkpoint-row";
import { createCheckpoint } from "@/lib/ledger/create-checkpoint";
import { loadOrCreateSigningKey, type SigningKey } from "@/lib/ledger/signing-key";
import { collectCaseEvidence, streamEventLines, streamRawIndexLines, streamRawPayloads, type CaseEvidence } from "./collect-case-evidence";
import { appendBatchesFor, appendBatchesJson, appendProofLines } from "./append-proof-lines";
import { describeTimestamp, timestampCheckpoint, timestampReadme, type CheckpointTimestamp, type TsaConfig } from "./checkpoint-timestamp";
import { checkpointLines, keysJson } from "./key-provenance";
import { writeContextFiles } from "./context-files";
import { addPackageContext, type PackageContext } from "./package-context";
import { proofLines } from "./proof-lines";
import { renderReadme } from "./readme";
import { buildCaseReport } from "./report/build-case-report";
import { ZipWriter } from "./zip-writer";

// A case's evidence package, streamed as a zip to any Writable (an HTTP response, a file): nothing larger than a
// page of rows is held in memory. Layout and verification are documented in docs/evidence-package.md and in the
// package's own README.md. Every file's SHA-256 is computed as it streams; manifest.json, SHA256SUMS and its
// signature (SHA256SUMS.sig, the ledger key) come last, once every hash is known.

const PACKAGE_FORMAT = "sessionproof-evidence/v1";

// zlib level for the large JSON files (events, raw records, index): 1 compresses them nearly as well as 6 at several
// times the speed. The proofs (hex hashes, about 2:1 at best) are stored: compressing them cost more time than it
// saved bytes. writeCaseExport({ compressionLevel: 0 }) stores everything (fastest, 10-15x larger).
const BULK_LEVEL = 1;

export type ExportResult = {
  caseId: string;
  caseNumber: number;
  folder: string;
  files: number;
  events: number;
  rawRecords: number;
  sessions: number;
  treeSize: number;
  checkpointId: string;
  manifestSha256: string;
  zipBytes: number;
  /** Trusted time for the checkpoint (proofs/checkpoint.tsr), or why there is none. */
  timestamp: CheckpointTimestamp;
};

export type PreparedExport = {
  evidence: CaseEvidence;
  /** Governance records, CSV headers, provenance, scope and logic version (package-context.ts). */
  context: PackageContext;
  checkpoint: LedgerCheckpoint;
  key: SigningKey;
  exportedAt: Date;
  folder: string;
  fileName: string;
  timestamp: CheckpointTimestamp;
};

/** case-12-evidence-2026-11-29 (the zip is that plus .zip, and unzips into that folder). */
function exportBaseName(caseNumber: number, at: Date): string {
  return `case-${caseNumber}-evidence-${at.toISOString().slice(0, 10)}`;
}

// verify.mjs ships verbatim; read from the source tree (next start and the CLI both run from the project root).
// The turbopackIgnore comments keep Next's output tracing from following these runtime paths (it would otherwise
// trace the whole project into the server build, and warn so at every build).
function verifierSource(): Buffer {
  const candidates = [
    path.join(/* turbopackIgnore: true */ process.cwd(), "lib/export/verify.mjs"),
    path.join(import.meta.dirname ?? "", "verify.mjs"),
  ];
  for (const p of candidates) if (p && fs.existsSync(/* turbopackIgnore: true */ p)) return fs.readFileSync(/* turbopackIgnore: true */ p);
  throw new AppError(
    "INTERNAL",
    "lib/export/verify.mjs is missing from this installation; the package cannot be built without its verifier.",
  );
}

/**
 * Everything that can fail before the first byte is sent: the case exists (NOT_FOUND otherwise), its evidence is
 * collected, and a checkpoint is signed now so that it covers every cited raw record.
 */
export async function prepareCaseExport({
  caseId,
  tsa,
  timings,
}: {
  caseId: string;
  tsa?: TsaConfig;
  timings?: ExportTimings;
}): Promise<PreparedExport> {
  // The checkpoint is signed while the evidence is collected; if a cited record arrived in between, sign again.
  const key = await loadOrCreateSigningKey();
  const [{ evidence, context }, signed] = await Promise.all([
    timed(timings, "collect case evidence", collectCaseEvidence({ caseId })).then((e) =>
      timed(timings, "collect package context", addPackageContext(e)),
    ),
    timed(timings, "sign checkpoint", createCheckpoint({ key })),
  ]);
  let checkpoint = signed;
  const maxLeaf = evidence.leafIndices.length ? evidence.leafIndices[evidence.leafIndices.length - 1] : -1;
  if (maxLeaf >= checkpoint.treeSize) checkpoint = await createCheckpoint({ key });
  if (maxLeaf >= checkpoint.treeSize)
    throw new AppError("INTERNAL", `leaf ${maxLeaf} is beyond checkpoint ${checkpoint.id}; export again.`);
  if (checkpoint.keyFingerprint !== key.fingerprint) {
    // Only when the key changed and nothing was ingested since: the latest checkpoint is signed by the old key.
    throw new AppError(
      "CONFLICT",
      `The latest checkpoint was signed by ${checkpoint.keyFingerprint}, not the current key ${key.fingerprint}. Ingest new data or restore the key, then export again.`,
    );
  }
  // Before the first byte, so that a TSA failure is known to the caller (and fails here when it is required).
  const timestamp = await timestampCheckpoint({ checkpoint, tsa });
  const exportedAt = new Date();
  const folder = exportBaseName(evidence.case.number, exportedAt);
  return { evidence, context, checkpoint, key, exportedAt, folder, fileName: `${folder}.zip`, timestamp };
}

type FileEntry = { path: string; bytes: number; sha256: string };

const INCLUSION_RULE =
  "sessions cited (with all their events), events cited, findings cited (their events and session), identities cited " +
  "(with aliases and credentials), lineage snapshots as stored; links between cited sessions; credential parent chains; " +
  "the raw record of every included event, of every approval ticket, grant and policy decision its governance checks " +
  "matched, and of the header row of every CSV batch. See docs/evidence-package.md.";

/** Per-phase wall times of one export, for the benchmark (`npm run bench -- export` prints them). */
export type ExportTimings = { phase: string; ms: number }[];

async function timed<T>(timings: ExportTimings | undefined, phase: string, work: Promise<T>): Promise<T> {
  const t = performance.now();
  const r = await work;
  timings?.push({ phase, ms: performance.now() - t });
  return r;
}

const json = (v: unknown) => Buffer.from(JSON.stringify(v, null, 2) + "\n", "utf8");

/** Streams the prepared package to `output` and records the export (or its failure) in the case history and audit trail. */
export async function writeCaseExport({
  ctx,
  prepared,
  output,
  compressionLevel = BULK_LEVEL,
  timings,
}: {
  ctx: RequestContext;
  prepared: PreparedExport;
  output: Writable;
  timings?: ExportTimings;
  /** zlib level (0 = store) for the large files; small ones always use 6. */
  compressionLevel?: number;
}): Promise<ExportResult> {
  const ev = prepared.evidence;
  try {
    const result = await writeZip(prepared, ctx.actor, output, compressionLevel, timings);
    await recordExport(prepared, ctx, {
      status: "completed",
      files: result.files,
      events: result.events,
      rawRecords: result.rawRecords,
      treeSize: result.treeSize,
      manifestSha256: result.manifestSha256,
      timestamp: describeTimestamp(prepared.timestamp),
    });
    return result;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    await recordExport(prepared, ctx, { status: "failed", error: message.slice(0, 500) }).catch((e) =>
      console.error(`[export] could not record the failed export of case ${ev.case.number}:`, e),
    );
    if (!output.destroyed) output.destroy(err instanceof Error ? err : new Error(message));
    throw err;
  }
}

/** exportCase = prepare + write: the whole package for `caseId` streamed to `output`. */
export async function exportCase({
  ctx,
  caseId,
  output,
  compressionLevel,
  timings,
}: {
  ctx: RequestContext;
  caseId: string;
  output: Writable;
  compressionLevel?: number;
  timings?: ExportTimings;
}): Promise<ExportResult> {
  const prepared = await prepareCaseExport({ caseId, timings });
  return writeCaseExport({ ctx, prepared, output, compressionLevel, timings });
}

async function recordExport(
  { evidence: ev }: PreparedExport,
  ctx: RequestContext,
  outcome: {
    status: "completed" | "failed";
    files?: number;
    events?: number;
    rawRecords?: number;
    treeSize?: number;
    manifestSha256?: string;
    timestamp?: string;
    error?: string;
  },
): Promise<void> {
  await db().$transaction(async (tx) => {
    await recordCaseActivity(tx, {
      ctx,
      caseId: ev.case.id,
      action: outcome.status === "completed" ? "exported" : "export_failed",
      after: outcome,
      audit: false,
    });
    await recordAudit(
      {
        ctx,
        resourceType: "case",
        resourceId: ev.case.id,
        details: { type: "case.exported", caseId: ev.case.id, caseNumber: ev.case.number, ...outcome },
      },
      tx,
    );
  });
}

// The payloads, in leaf order, back to back. `lengths` are those raw/index.ndjson was written with (-1: purged):
// a record whose payload changed since (purged meanwhile) fails the export rather than ship a mismatched index.
async function* rawRecordsBin(rawRecordIds: Float64Array, payloadSizes: Float64Array, lengths: Float64Array): AsyncGenerator<Buffer> {
  let i = 0;
  for await (const page of streamRawPayloads(rawRecordIds, payloadSizes)) {
    let total = 0;
    for (let j = 0; j < page.ids.length; j++, i++) {
      if (String(rawRecordIds[i]) !== page.ids[j])
        throw new AppError("INTERNAL", `raw record ${rawRecordIds[i]} changed during the export; export again.`);
      if (page.lengths[j] !== lengths[i])
        throw new AppError("CONFLICT", "Raw records changed during the export (a retention purge?). Export again.");
      if (page.lengths[j] > 0) total += page.lengths[j];
    }
    if (total !== page.bytes.length) throw new AppError("INTERNAL", "raw record lengths do not add up; export again.");
    yield page.bytes;
  }
  if (i !== rawRecordIds.length) throw new AppError("INTERNAL", "raw records disappeared during the export; export again.");
}

async function writeZip(
  prepared: PreparedExport,
  actor: Actor,
  output: Writable,
  bulkLevel: number,
  phaseTimings?: ExportTimings,
): Promise<ExportResult> {
  const { evidence: ev, context, checkpoint, key, exportedAt, folder } = prepared;
  // The case report (report.html, printed to report.pdf by Chromium) is built while the bulk files stream, once per
  // export, and added near the end; the README, which says whether the PDF is there, follows it.
  const report = timed(phaseTimings, "case report (built alongside)", buildCaseReport({ prepared, actor, packaged: true }));
  report.catch(() => undefined);
  const zip = new ZipWriter(output, exportedAt);
  const files: FileEntry[] = [];
  // Entries are written one after the other; each file's SHA-256 comes out of the same pass.
  const add = async (name: string, source: Buffer | AsyncIterable<Buffer | string>, level = 6) => {
    const t = performance.now();
    const r = await zip.addFile(`${folder}/${name}`, source, level);
    files.push({ path: name, bytes: r.bytes, sha256: r.sha256 });
    phaseTimings?.push({ phase: name, ms: performance.now() - t });
  };

  const cpJson = checkpointToJson(checkpoint);
  const counts = {
    sessions: ev.sessions.length,
    events: ev.eventIds.length,
    rawRecords: ev.rawRecordIds.length,
    identities: ev.identities.length,
    credentials: ev.credentials.length,
    findings: ev.findings.length,
    links: ev.links.length,
    lineageSnapshots: ev.lineageSnapshots.length,
    notes: ev.notes.length,
    tasks: ev.tasks.length,
    items: ev.items.length,
  };

  await add("verify.mjs", verifierSource());
  await add("public-key.pem", Buffer.from(key.publicKeyPem, "utf8"));
  await add("checkpoint.txt", checkpointNote(checkpoint));
  await add("checkpoint.sig", checkpoint.signature, 0);
  await add("checkpoint.json", json(cpJson));
  // RFC 3161 reply (DER TimeStampResp) over SHA-256(checkpoint.txt), when a TSA answered (lib/export/checkpoint-timestamp.ts).
  if (prepared.timestamp.status === "stamped") await add("proofs/checkpoint.tsr", prepared.timestamp.reply, 0);
  // Key chain and every earlier checkpoint with its consistency proof (key-provenance.ts).
  await add("keys.json", await timed(phaseTimings, "load key chain", keysJson(key)));
  await add("proofs/checkpoints.ndjson", checkpointLines(checkpoint), 0);
  await add(
    "case.json",
    json({ case: ev.case, items: ev.items, notes: ev.notes, tasks: ev.tasks, history: ev.history, missingItems: ev.missing }),
  );
  await add("sessions.json", json(ev.sessions));
  await add("links.json", json(ev.links));
  await add("identities.json", json(ev.identities));
  await add("lineage.json", json({ credentials: ev.credentials, snapshots: ev.lineageSnapshots }));
  await add("findings.json", json(ev.findings));
  // Raw records: one file of the payloads back to back, exactly as stored, plus an index of offsets. One file
  // per record would mean 100,000 zip entries and SHA256SUMS lines for a large case; the index keeps every record
  // addressable (offset, length) and verify.mjs checks each one against its leaf hash.
  const lengths = new Float64Array(ev.rawRecordIds.length);
  await add("events.ndjson", streamEventLines(ev.eventIds), bulkLevel);
  // The index first: it records each payload's length, which the records.bin pass then checks.
  await add("raw/index.ndjson", streamRawIndexLines(ev.rawRecordIds, lengths, ev.payloadSizes), bulkLevel);
  await add("raw/records.bin", rawRecordsBin(ev.rawRecordIds, ev.payloadSizes, lengths), bulkLevel);
  await add(
    "proofs/inclusion-proofs.ndjson",
    proofLines({
      rawRecordIds: ev.rawRecordIds,
      leafIndices: ev.leafIndices,
      treeSize: checkpoint.treeSize,
      rootHash: checkpoint.rootHash,
    }),
    0,
  );
  // The records' signed append batches, and per record its events' hashes with the path to its batch's signed root:
  // what lets verify.mjs tell an event edited since ingest.
  const batches = await timed(phaseTimings, "load append batches", appendBatchesFor(ev.leafIndices));
  await add("proofs/append-batches.json", appendBatchesJson(batches));
  await add("proofs/append-proofs.ndjson", appendProofLines({ rawRecordIds: ev.rawRecordIds, leafIndices: ev.leafIndices, batches }), 0);
  const purgedRawRecords = lengths.filter((l) => l < 0).length;
  const contextCounts = await writeContextFiles(add, { ev, context, inclusionRule: INCLUSION_RULE, purgedRawRecords });
  const reportWait = performance.now();
  const built = await report;
  phaseTimings?.push({ phase: "(waiting for the report)", ms: performance.now() - reportWait });
  await add("report.html", built.html);
  if (built.pdf) await add("report.pdf", built.pdf, 0); // already compressed inside
  const reportFiles = { pdf: built.pdf !== null, pdfMissing: built.pdfMissing };
  await add(
    "README.md",
    Buffer.from(
      renderReadme({ caseNumber: ev.case.number, title: ev.case.title, folder, counts, checkpoint: cpJson, report: reportFiles }) +
        timestampReadme(prepared.timestamp),
      "utf8",
    ),
  );

  const manifest = json({
    format: PACKAGE_FORMAT,
    case: { id: ev.case.id, number: ev.case.number, title: ev.case.title, status: ev.case.status, severity: ev.case.severity },
    exportedAt: exportedAt.toISOString(),
    exportedBy: { kind: actor.kind, id: actor.id, email: actor.email ?? null },
    counts: {
      ...counts,
      purgedRawRecords,
      governanceChecks: contextCounts.governanceChecks,
      governanceRawRecords: context.added.governance,
      csvHeaderRawRecords: context.added.csvHeaders,
      quarantinedRecords: contextCounts.quarantinedRecords,
    },
    checkpoint: {
      id: cpJson.id,
      treeSize: cpJson.treeSize,
      rootHash: cpJson.rootHash,
      createdAt: cpJson.createdAt,
      keyFingerprint: cpJson.keyFingerprint,
      keyId: cpJson.keyId,
    },
    inclusionRule: INCLUSION_RULE,
    missingItems: ev.missing,
    timestamp: timestampManifest(prepared.timestamp),
    report: { html: "report.html", pdf: built.pdf ? "report.pdf" : null, pdfMissing: built.pdfMissing },
    files,
  });
  const manifestSha256 = crypto.createHash("sha256").update(manifest).digest("hex");
  await add("manifest.json", manifest);
  const sums = Buffer.from(files.map((f) => `${f.sha256}  ${f.path}\n`).join(""), "utf8");
  await zip.addFile(`${folder}/SHA256SUMS`, sums);
  await zip.addFile(`${folder}/SHA256SUMS.sig`, crypto.sign(null, sums, key.privateKey), 0);
  const zipBytes = await zip.finish();
  return {
    caseId: ev.case.id,
    caseNumber: ev.case.number,
    folder,
    files: files.length + 2,
    events: ev.eventIds.length,
    rawRecords: ev.rawRecordIds.length,
    sessions: ev.sessions.length,
    treeSize: checkpoint.treeSize,
    checkpointId: checkpoint.id,
    manifestSha256,
    zipBytes,
    timestamp: prepared.timestamp,
  };
}

// What manifest.json says about trusted time; verify.mjs reads it to explain a missing token.
function timestampManifest(t: CheckpointTimestamp) {
  if (t.status === "stamped")
    return { status: t.status, tsaUrl: t.tsaUrl, genTime: t.genTime.toISOString(), file: "proofs/checkpoint.tsr" };
  if (t.status === "unavailable") return { status: t.status, tsaUrl: t.tsaUrl, error: t.error, note: describeTimestamp(t) };
  return { status: t.status };
}
