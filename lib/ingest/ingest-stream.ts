import { createHash, type Hash } from "node:crypto";
import { pipeline, Readable, Transform } from "node:stream";
import { constants, createGunzip } from "node:zlib";
import type { PoolClient } from "pg";
import { db, pool } from "@/lib/db";
import { withTransaction } from "@/lib/db/transaction";
import { AppError } from "@/lib/errors";
import { recordAudit, type AuditDetails } from "@/lib/audit/record-audit";
import { appendRawRecords } from "@/lib/ledger/append-raw-records";
import { createCheckpoint } from "@/lib/ledger/create-checkpoint";
import { projectGovernance } from "./project-governance";
import { normalizeRecord } from "@/lib/sources/normalize-record";
import type { GrantMappingDefinition } from "@/lib/sources/pam-grants/grant-mapping.types";
import { mappedGrantSource } from "@/lib/sources/pam-grants/mapped-grant";
import { PAM_GRANTS_PLATFORM } from "@/lib/sources/pam-grants/platform";
import { readRecords, probeFile } from "@/lib/sources/read";
import { closestPlatforms, detectPlatform, getSource, supportedPlatforms } from "@/lib/sources/registry";
import { NormalizeError, SkipRecord, type DetectProbe } from "@/lib/sources/types";
import { toEventRow } from "@/lib/events/schema";
import { ensureSource } from "./sources";
import { actorUserId, DEFAULT_TENANT, type RequestContext } from "@/lib/context/request-context";
import { EventCopyBuffer, insertQuarantine, type QuarantineRowInput } from "./bulk-insert";
import type { IngestProgress, IngestResult } from "./ingest-stream.types";
import { env } from "@/lib/env";
import { holdBatchLock } from "./interrupted-batches";
import { appendHeaderRecord } from "./header-record";
import { insertDuplicates, nativeKey, NativeDedup, type DuplicateRow, type NativeKey } from "./native-dedup";

// One pipeline for every way in (upload, CLI, push API): detect the format, stream the records, normalize each,
// append the normalizable ones verbatim to the ledger, store their events, quarantine the rest with a reason.
// Evidence is committed in chunks; each chunk is one transaction (raw records + quarantine + batch counters), so
// a crash loses nothing that was acknowledged, and re-running the same file completes it (already stored
// records count as duplicates). read = stored + duplicate + quarantined for every batch.
//
// Events are derived data (the normalized form of a ledger record), so they are written on a second
// connection, overlapping the next chunk's ledger append. If the process dies between the two, the re-run finds
// those records as duplicates without events and writes the missing events then.

export type { IngestProgress, IngestResult } from "./ingest-stream.types";

export type IngestStreamInput = {
  input: Readable;
  fileName: string;
  via: "upload" | "cli" | "api";
  byteSize?: number | null;
  platform?: string;
  sourceName?: string;
  /** A push token's source: the platform is fixed by it. */
  sourceId?: string;
  /** Read every record through this declared grant mapping (a PAM / JIT tool without a reader): platform pam-grants. */
  grantMapping?: GrantMappingDefinition;
  /** Who ingests (the batch's creator and the audit entry's actor). */
  ctx: RequestContext;
  onProgress?: (p: IngestProgress) => void;
  chunkRecords?: number;
  /** A chunk is stored once its records (quarantined ones included) reach this many bytes (default 8 MB). */
  chunkBytes?: number;
  /** Refuse input beyond this many bytes (upload and push bodies; SESSIONPROOF_INGEST_MAX_BYTES). */
  maxBytes?: number | null;
  /** Stop the batch once this many records are quarantined (default SESSIONPROOF_INGEST_MAX_QUARANTINED). */
  maxQuarantined?: number;
};

const PROBE_BYTES = 256 * 1024;
const CHUNK_BYTES = 8 * 1024 * 1024;

/** The input was larger than the body limit: thrown by the byte counter, answered with 413. */
class SizeLimitError extends AppError {
  constructor(readonly limit: number) {
    super("TOO_LARGE", tooLargeMessage(`The file is larger than the ${limit.toLocaleString("en-US")} bytes`));
  }
}

/** Why an upload or push was refused for its size, and what to do instead. */
export function tooLargeMessage(what: string): string {
  return (
    `${what} an upload or push may carry (SESSIONPROOF_INGEST_MAX_BYTES). Split it into smaller files, ` +
    "ingest it from the command line (npm run cli -- ingest), or raise the limit."
  );
}

/**
 * Counts the bytes that flow through (compressed bytes for .gz), for progress against the file size and the limit,
 * and hashes them: the file's SHA-256 as received, for the evidence package's provenance (`file.done` once the
 * input ended, so that a batch stopped early does not claim the hash of a part as the file's).
 */
function byteCounter(onBytes: (n: number) => number, maxBytes: number | null, file: FileHash): Transform {
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      const total = onBytes(chunk.length);
      file.hash.update(chunk);
      if (maxBytes !== null && total > maxBytes) cb(new SizeLimitError(maxBytes));
      else cb(null, chunk);
    },
    flush(cb) {
      file.done = true;
      cb();
    },
  });
}

type FileHash = { hash: Hash; done: boolean };

/** Reads up to `limit` bytes from the front of a stream and gives back the head and a stream of everything. */
async function peek(stream: Readable, limit: number): Promise<{ head: Buffer; all: Readable }> {
  const chunks: Buffer[] = [];
  let size = 0;
  const it = stream[Symbol.asyncIterator]();
  let done = false;
  while (size < limit) {
    const next = await it.next();
    if (next.done) {
      done = true;
      break;
    }
    const buf = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
    chunks.push(buf);
    size += buf.length;
  }
  const head = Buffer.concat(chunks);
  async function* rest() {
    yield head;
    if (done) return;
    for (;;) {
      const next = await it.next();
      if (next.done) return;
      yield next.value as Buffer;
    }
  }
  return { head, all: Readable.from(rest(), { objectMode: false }) };
}

/**
 * The decompressed start of a gzip file, for format detection only (the records themselves are read from verified
 * members by readRecords): at most `limit` bytes, so that a small compressed head cannot inflate without bound.
 */
async function gunzipHead(head: Buffer, limit: number): Promise<Buffer> {
  const z = createGunzip({ finishFlush: constants.Z_SYNC_FLUSH });
  const out: Buffer[] = [];
  let size = 0;
  try {
    for await (const b of Readable.from([head]).pipe(z)) {
      out.push(b as Buffer);
      size += (b as Buffer).length;
      if (size >= limit) break;
    }
  } catch (err) {
    if (size === 0) throw new Error(`gzip: ${(err as Error).message}`);
  } finally {
    z.destroy();
  }
  return Buffer.concat(out).subarray(0, limit);
}

/** A normalizable record waiting for its chunk: its bytes, and its number in the chunk's EventCopyBuffer. */
type Pending = { position: number; bytes: Buffer; k: number; key: NativeKey | null };

/** The records of a chunk whose events are to be written, once the ledger has given them their ids. */
type ChunkEvents = { buffer: EventCopyBuffer; include: (k: number) => boolean };

type BatchAuditDetails = Extract<AuditDetails, { type: "ingest.batch" }>;

/** The audit entry of a finished (or refused) batch: who ingested which file how, and its counts. */
function recordBatchAudit(
  tx: Parameters<typeof recordAudit>[1],
  opts: IngestStreamInput,
  batchId: string,
  counts: Omit<BatchAuditDetails, "type" | "batchId" | "fileName" | "via">,
) {
  return recordAudit(
    {
      ctx: opts.ctx,
      resourceType: "ingest_batch",
      resourceId: batchId,
      details: {
        type: "ingest.batch",
        batchId,
        fileName: opts.fileName,
        via: opts.via,
        ...counts,
        ...(opts.grantMapping ? { grantMapping: opts.grantMapping.name } : {}),
      },
    },
    tx,
  );
}

/**
 * A file no source recognises: read to its end (for its size and SHA-256), recorded as a failed batch with no source
 * and nothing stored (name, size, hash, why, the closest formats) and in the audit trail, and refused with a message
 * of two lines at most. The full list of formats is in the batch's note and on the Ingest page, not in the message.
 */
async function refuseUnrecognised(
  opts: IngestStreamInput,
  all: Readable,
  file: FileHash,
  bytesRead: () => number,
  probe: DetectProbe,
): Promise<AppError> {
  for await (const chunk of all) void chunk; // the byte counter hashes and counts as it flows (and enforces the size limit)
  const closest = closestPlatforms(probe);
  const what = probe.container === "unknown" ? "it is not JSON, NDJSON or CSV" : `it reads as ${probe.container}`;
  const near = closest.length
    ? `closest: ${closest.map((c) => `${c.label} [${c.platform}]`).join(", ")}`
    : "no supported format resembles it";
  const message =
    `Could not recognise the format of ${opts.fileName}: ${what}, but not as any supported log (${near}).\n` +
    "Choose the platform explicitly if you know it (--platform on the command line); the Ingest page lists the supported formats.";
  const note =
    (closest.length
      ? `Closest formats (detection score): ${closest.map((c) => `${c.label} [${c.platform}] ${c.score.toFixed(2)}: ${c.formats.join(", ")}`).join("; ")}.\n`
      : "No supported format scored above zero.\n") + `Supported: ${supportedPlatforms().join("; ")}.`;
  const fileSha256 = file.done ? file.hash.digest("hex") : null;
  await db().$transaction(async (tx) => {
    const batch = await tx.ingestBatch.create({
      data: {
        tenantId: DEFAULT_TENANT,
        sourceId: null,
        fileName: opts.fileName,
        platform: "unknown",
        format: probe.container === "unknown" ? null : probe.container,
        via: opts.via,
        status: "failed",
        byteSize: opts.byteSize ?? bytesRead(),
        bytesRead: bytesRead(),
        fileSha256,
        note,
        error: message,
        createdById: actorUserId(opts.ctx),
        finishedAt: new Date(),
      },
    });
    await recordBatchAudit(tx, opts, batch.id, {
      read: 0,
      stored: 0,
      duplicate: 0,
      quarantined: 0,
      refused: "unrecognised format",
      fileSha256,
    });
  });
  return new AppError("VALIDATION", message);
}

export async function ingestStream(opts: IngestStreamInput): Promise<IngestResult> {
  let bytesRead = 0;
  const file: FileHash = { hash: createHash("sha256"), done: false };
  const countedInput = pipeline(
    opts.input,
    byteCounter((n) => (bytesRead += n), opts.maxBytes ?? null, file),
    () => undefined,
  );
  const maxQuarantined = opts.maxQuarantined ?? env().SESSIONPROOF_INGEST_MAX_QUARANTINED;
  let head: Buffer;
  let all: Readable;
  try {
    ({ head, all } = await peek(countedInput, PROBE_BYTES));
    if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) head = await gunzipHead(head, PROBE_BYTES);
  } catch (err) {
    if (err instanceof SizeLimitError) throw err;
    // Nothing was stored: the file broke before its first records could even be recognised.
    throw new AppError("BAD_REQUEST", `Could not read ${opts.fileName}: ${(err as Error).message}`);
  }

  // The platform: forced by the caller or the token's source, else detected from the file name and first records.
  let platform = opts.grantMapping ? PAM_GRANTS_PLATFORM : opts.platform;
  if (opts.grantMapping && opts.platform && opts.platform !== PAM_GRANTS_PLATFORM)
    throw new AppError(
      "VALIDATION",
      `A grant mapping reads grant exports (platform ${PAM_GRANTS_PLATFORM}), not ${opts.platform}: leave the platform out.`,
    );
  let source = opts.sourceId ? await db().source.findUniqueOrThrow({ where: { id: opts.sourceId } }) : null;
  if (source) platform = source.platform;
  const probe = probeFile(head, opts.fileName);
  if (!platform) {
    platform = detectPlatform(probe)?.platform;
    if (!platform) throw await refuseUnrecognised(opts, all, file, () => bytesRead, probe);
  }
  const parser = opts.grantMapping && platform === PAM_GRANTS_PLATFORM ? mappedGrantSource(opts.grantMapping) : getSource(platform);
  if (!parser) {
    throw new AppError("VALIDATION", `Unknown platform "${platform}". Supported: ${supportedPlatforms().join("; ")}.`);
  }
  source ??= await ensureSource({ platform, name: opts.sourceName });

  const batch = await db().ingestBatch.create({
    data: {
      tenantId: DEFAULT_TENANT,
      sourceId: source.id,
      fileName: opts.fileName,
      platform,
      format: probe.container ?? null,
      via: opts.via,
      status: "running",
      byteSize: opts.byteSize ?? null,
      createdById: actorUserId(opts.ctx),
    },
  });
  const progress: IngestProgress = {
    batchId: batch.id,
    bytesRead: 0,
    byteSize: opts.byteSize ?? null,
    read: 0,
    stored: 0,
    duplicate: 0,
    quarantined: 0,
    skipped: 0,
  };
  // Why records were skipped, with how many each (the batch's note).
  const skipReasons = new Map<string, number>();
  const chunkRecords = opts.chunkRecords ?? 5000;
  const chunkBytes = opts.chunkBytes ?? CHUNK_BYTES;
  let pending: Pending[] = [];
  let events = new EventCopyBuffer(source.id);
  let quarantine: QuarantineRowInput[] = [];
  let pendingBytes = 0;
  let inFlight: Promise<void> = Promise.resolve();
  let eventsInFlight: Promise<void> = Promise.resolve();
  const dedup = new NativeDedup(platform);
  let leavesAppended = 0;

  const flush = () => {
    const rows = pending;
    const q = quarantine;
    const buffer = events;
    pending = [];
    events = new EventCopyBuffer(source!.id);
    quarantine = [];
    pendingBytes = 0;
    const readAtFlush = progress.read;
    const skippedAtFlush = skipped;
    const noteAtFlush = skipNote(skipReasons);
    // One flush in flight at a time: the next chunk is parsed while PostgreSQL stores this one.
    inFlight = inFlight.then(async () => {
      let chunkEvents: ChunkEvents | null = null;
      await withTransaction(async (client) => {
        const counts = await storeChunk(client, {
          sourceId: source!.id,
          batchId: batch.id,
          fileName: opts.fileName,
          rows,
          events: buffer,
          quarantine: q,
          dedup,
          // A duplicate may be a record whose events are still being written by the previous chunk: let those
          // land before looking for duplicates that lack events.
          eventsSettled: () => eventsInFlight,
        });
        chunkEvents = counts.events;
        leavesAppended += counts.leaves;
        progress.stored += counts.stored;
        progress.duplicate += counts.duplicate;
        progress.quarantined += counts.quarantined;
        progress.skipped = skippedAtFlush;
        progress.bytesRead = bytesRead;
        await client.query(
          `UPDATE ingest_batch SET "readCount" = $2, "storedCount" = $3, "duplicateCount" = $4, "quarantinedCount" = $5, "bytesRead" = $6,
                  "skippedCount" = $7, note = $8 WHERE id = $1`,
          [batch.id, readAtFlush, progress.stored, progress.duplicate, progress.quarantined, bytesRead, skippedAtFlush, noteAtFlush],
        );
      });
      // At most one events statement in flight; a failure surfaces here, at the next flush, or at the end.
      await eventsInFlight;
      eventsInFlight = chunkEvents ? writeEvents(chunkEvents) : Promise.resolve();
      opts.onProgress?.({ ...progress, read: readAtFlush });
    });
    return inFlight;
  };

  let error: string | null = null;
  let limit: IngestResult["limit"] = null;
  let quarantinedSoFar = 0;
  let skipped = 0;
  // Held for the batch's lifetime: a batch left "running" whose lock is free was interrupted (interrupted-batches.ts).
  const lock = await holdBatchLock(batch.id);
  try {
    const reader = readRecords(all, { fileName: opts.fileName });
    let headerSaved = false;
    for await (const rec of reader) {
      progress.read++;
      if (!headerSaved && reader.summary.csvHeaderBytes) {
        // A CSV file's header row is not a data record, but it is evidence: it goes into the ledger as a record of
        // its own that the batch points at, so every stored row can be read back, also from an evidence package.
        headerSaved = true;
        await appendHeaderRecord({
          batchId: batch.id,
          sourceId: source.id,
          fileName: opts.fileName,
          header: reader.summary.csvHeaderBytes,
        });
      }
      if ("error" in rec) {
        quarantine.push({ position: rec.position, raw: rec.bytes, reason: rec.error });
        pendingBytes += rec.bytes.length;
        quarantinedSoFar++;
      } else {
        try {
          // CSV rows come parsed from the reader (header → value); JSON records are parsed here.
          const parsed = rec.value !== undefined ? rec.value : JSON.parse(rec.bytes.toString("utf8"));
          const normalized = normalizeRecord(parser, parsed, { fileName: opts.fileName, position: rec.position });
          const eventRows = normalized.map(toEventRow);
          pending.push({ position: rec.position, bytes: rec.bytes, k: events.add(eventRows), key: nativeKey(eventRows) });
          pendingBytes += rec.bytes.length;
        } catch (err) {
          if (err instanceof SkipRecord) {
            // Not an event and holding none (a digest file, an empty page): counted and stated, neither stored nor quarantined.
            skipped++;
            skipReasons.set(err.message, (skipReasons.get(err.message) ?? 0) + 1);
            continue;
          }
          const reason =
            err instanceof NormalizeError
              ? err.message
              : err instanceof SyntaxError
                ? `not valid JSON: ${err.message}`
                : `the ${platform} parser failed on this record: ${(err as Error).message}`;
          quarantine.push({ position: rec.position, raw: rec.bytes, reason });
          pendingBytes += rec.bytes.length;
          quarantinedSoFar++;
        }
      }
      // Quarantined records count towards a chunk's bytes too: a file of nothing but unreadable records must not
      // pile up in memory until the record count flushes them.
      if (pending.length + quarantine.length >= chunkRecords || pendingBytes >= chunkBytes) {
        await inFlight; // backpressure: never more than one chunk waiting
        void flush().catch(() => undefined);
      }
      if (quarantinedSoFar >= maxQuarantined) {
        limit = "quarantine";
        break;
      }
    }
    await inFlight;
    await flush();
    await eventsInFlight;
    const { corrupt, problems } = reader.summary;
    if (limit === "quarantine") {
      error =
        `Stopped after ${maxQuarantined.toLocaleString("en-US")} records could not be read (the limit per batch, ` +
        `SESSIONPROOF_INGEST_MAX_QUARANTINED): this does not look like a ${platform} export, or it is badly damaged. ` +
        "The records read so far are kept (the quarantined ones can be downloaded here); check the platform and the file, " +
        "then ingest it again (what is already stored counts as duplicate), or raise the limit.";
    } else if (corrupt > 0 || problems.some((p) => p.startsWith("gzip member"))) {
      error =
        `The gzip file is damaged (${problems.join("; ")}). ${corrupt} record${corrupt === 1 ? "" : "s"} read from the damaged ` +
        "data were quarantined, not stored in the ledger. Export the file again and ingest it: records already stored are " +
        "recognised by their hash and counted as duplicates.";
    }
  } catch (err) {
    await inFlight.catch(() => undefined);
    await eventsInFlight.catch(() => undefined);
    if (err instanceof SizeLimitError) {
      limit = "size";
      error = `${err.message} Records before the limit were kept (re-sending the whole file stores only the rest).`;
    } else error = err instanceof AppError ? err.message : `Ingest stopped: ${(err as Error).message}`;
  } finally {
    await lock.release();
  }
  progress.bytesRead = bytesRead;

  // The invariant, checked for every batch. Records read after the last committed chunk of a failed batch are
  // not counted as read: they were not acknowledged, and re-running the file picks them up.
  const counted = await db().ingestBatch.findUniqueOrThrow({ where: { id: batch.id } });
  const balanced = counted.readCount === counted.storedCount + counted.duplicateCount + counted.quarantinedCount + counted.skippedCount;
  if (!balanced && !error) {
    error = `Internal error: read ${counted.readCount} != stored ${counted.storedCount} + duplicate ${counted.duplicateCount} + quarantined ${counted.quarantinedCount} + skipped ${counted.skippedCount}`;
  }
  const status = error ? "failed" : "completed";
  const fileSha256 = file.done && !error ? file.hash.digest("hex") : null;
  await db().$transaction(async (tx) => {
    await tx.ingestBatch.update({ where: { id: batch.id }, data: { status, error, finishedAt: new Date(), bytesRead, fileSha256 } });
    await recordBatchAudit(tx, opts, batch.id, {
      read: counted.readCount,
      stored: counted.storedCount,
      duplicate: counted.duplicateCount,
      quarantined: counted.quarantinedCount,
      skipped: counted.skippedCount,
    });
  });
  // Semantic duplicates are ledger leaves too (with no events): they are checkpointed like stored records.
  if (counted.storedCount > 0 || leavesAppended > 0) await createCheckpoint({});
  return {
    batchId: batch.id,
    sourceId: source.id,
    platform,
    fileName: opts.fileName,
    status,
    error,
    limit,
    bytesRead,
    byteSize: opts.byteSize ?? null,
    read: counted.readCount,
    stored: counted.storedCount,
    duplicate: counted.duplicateCount,
    quarantined: counted.quarantinedCount,
    skipped: counted.skippedCount,
    note: counted.note,
  };
}

/** The batch's note: each skip reason once, with its count when more than one record was skipped for it. */
function skipNote(reasons: Map<string, number>): string | null {
  if (reasons.size === 0) return null;
  return [...reasons].map(([reason, n]) => (n === 1 ? reason : `${n} × ${reason}`)).join("\n");
}

async function writeEvents({ buffer, include }: ChunkEvents): Promise<void> {
  const governance = buffer.governanceRows(include);
  const client = await pool().connect();
  try {
    // One transaction: all of the chunk's events and their governance projections (approvals, JIT grants,
    // policy decisions) or none, so a re-run re-derives both for records whose events are missing.
    if (governance.length === 0) {
      await buffer.copy(client, include);
      return;
    }
    await withTransaction(
      async () => {
        await buffer.copy(client, include);
        await projectGovernance(client, { sourceId: buffer.sourceId, rows: governance });
      },
      { client },
    );
  } finally {
    client.release();
  }
}

async function storeChunk(
  client: PoolClient,
  c: {
    sourceId: string;
    batchId: string;
    fileName: string;
    rows: Pending[];
    events: EventCopyBuffer;
    quarantine: QuarantineRowInput[];
    dedup: NativeDedup;
    eventsSettled: () => Promise<void>;
  },
): Promise<{ stored: number; duplicate: number; quarantined: number; leaves: number; events: ChunkEvents | null }> {
  let stored = 0;
  let duplicate = 0;
  let leaves = 0;
  let events: ChunkEvents | null = null;
  const dupRows: DuplicateRow[] = [];
  if (c.rows.length) {
    // Semantic dedup (native-dedup.ts): a record whose platform-native event was stored before is appended with no
    // events and counted as a duplicate of the record that holds them.
    const plan = await c.dedup.plan(
      client,
      c.rows.map((r) => r.key),
    );
    const results = await appendRawRecords({
      client,
      rows: c.rows.map((r, i) => ({
        sourceId: c.sourceId,
        batchId: c.batchId,
        fileName: c.fileName,
        position: r.position,
        payload: r.bytes,
        eventsHash: plan[i] ? undefined : c.events.eventsHash(r.k),
      })),
    });
    // The records whose events get written: every stored one, and a duplicate whose events are missing (its
    // first run died between the ledger append and the events), once per raw record.
    const write = new Uint8Array(c.events.records);
    const storedIds = new Set<string>();
    const duplicates = new Map<string, number>();
    results.forEach((res, i) => {
      const { k, key, position } = c.rows[i];
      const p = plan[i];
      if (p) {
        duplicate++;
        const original = "of" in p ? p.of : results[p.ofRow].id;
        if (res.status === "stored") leaves++;
        // The record that holds the events: for an exact re-send of the original, the original itself.
        const kind = res.status === "duplicate" ? "same_bytes" : "same_event";
        dupRows.push({ position, kind, rawRecordId: res.id, originalId: original, nativeId: key!.nativeId });
        return;
      }
      c.dedup.remember(key, res.id);
      if (res.status === "duplicate") {
        duplicate++;
        dupRows.push({ position, kind: "same_bytes", rawRecordId: res.id, originalId: res.id, nativeId: key?.nativeId ?? null });
        if (!storedIds.has(res.id) && !duplicates.has(res.id)) duplicates.set(res.id, k);
        return;
      }
      stored++;
      storedIds.add(res.id);
      c.events.setRawRecordId(k, res.id);
      write[k] = 1;
    });
    if (duplicates.size) {
      await c.eventsSettled().catch(() => undefined);
      const have = await client.query<{ id: string }>(
        `SELECT DISTINCT "rawRecordId"::text AS id FROM event WHERE "rawRecordId" = ANY($1::bigint[])`,
        [[...duplicates.keys()]],
      );
      const withEvents = new Set(have.rows.map((r) => r.id));
      for (const [id, k] of duplicates) {
        if (withEvents.has(id) || storedIds.has(id)) continue;
        c.events.setRawRecordId(k, id);
        write[k] = 1;
      }
    }
    events = { buffer: c.events, include: (k) => write[k] === 1 };
  }
  const prior = await insertQuarantine(client, { sourceId: c.sourceId, batchId: c.batchId, fileName: c.fileName, rows: c.quarantine });
  let quarantined = 0;
  prior.forEach((id, i) => {
    if (id === null) quarantined++;
    else dupRows.push({ position: c.quarantine[i].position, kind: "quarantined", rawRecordId: null, originalId: id, nativeId: null });
  });
  await insertDuplicates(client, c.batchId, dupRows);
  return { stored, duplicate: duplicate + c.quarantine.length - quarantined, quarantined, leaves: stored + leaves, events };
}
