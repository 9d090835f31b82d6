import type { PoolClient } from "pg";
import { pool } from "@/lib/db";
import type { EventRow } from "@/lib/events/schema";

// Issue 14 §6, the same event twice is one event. A user re-exports overlapping windows, or the same window in two
// shapes (NDJSON and an API page, Salesforce CSV and JSON, a CloudTrail S3 file and lookup-events). Those are
// different bytes, so the ledger's byte-level dedup (sourceId, contentHash) stores them again; this module
// recognises them by the platform's own event id.
//
// The key of a record is its first event that carries a platform-native id: (platform, class, native id, time).
// The time is always part of it. For platforms whose ids are unique alone (Okta uuid, Entra id, CloudTrail
// eventID, GitHub _document_id, Slack id, Salesforce EventIdentifier / Id, Microsoft 365 Id) the same vendor event
// carries the same time in every export, so the time costs nothing; for those whose ids are only unique per
// instance or per time (Google id.uniqueQualifier "if multiple events have the same time", Jira / Atlassian
// numeric audit ids, Snowflake LOGIN_HISTORY EVENT_ID per account) it is what makes the key an identity. The
// class keeps apart records that share an id but are different evidence (Snowflake QUERY_HISTORY and
// ACCESS_HISTORY rows of one QUERY_ID). The platform, not the source, scopes it: a second source of the same
// platform fed the same export is the same evidence.
//
// A record whose key was stored before (in an earlier batch, an earlier chunk, or earlier in the same chunk) is
// still appended to the ledger verbatim, with no events (its signed entry commits to "no events"): the ledger is
// the evidence of what was received, and a second shape of an export is something that was received. It makes
// no event, the batch counts it as a duplicate, and ingest_duplicate names the stored record whose events stand
// for it. Per chunk this costs one query (an unnest join through event_native_key_idx) for the keys this run has
// not seen, and one INSERT of the chunk's duplicates when there are any; keys seen in this run are answered from
// memory, so a chunk whose events are still being written by the previous chunk's COPY is not looked up.
//
// Limits: two batches of one platform ingested at the same moment do not see each other's in-flight events;
// events removed by a retention purge no longer dedup.

/** The record's dedup key: class, native id and time (ms) of its first event with a native id; null without one. */
export function nativeKey(rows: readonly EventRow[]): NativeKey | null {
  for (const r of rows) {
    if (r.nativeId) return { className: r.className, nativeId: r.nativeId, time: r.time };
  }
  return null;
}

export type NativeKey = { className: string; nativeId: string; time: Date };

const keyText = (k: NativeKey) => `${k.className}\u001f${k.time.getTime()}\u001f${k.nativeId}`;

/** What a chunk's record is, before its ledger append: new, or a duplicate of a known record / of an earlier row. */
export type DedupPlan = { of: string } | { ofRow: number } | null;

/** A record counted as duplicate, for ingest_duplicate. */
export type DuplicateRow = {
  position: number;
  kind: "same_bytes" | "same_event" | "quarantined";
  rawRecordId: string | null;
  originalId: string;
  nativeId: string | null;
};

/** One ingest run's memory of the keys it has stored (key → raw record id), and the look-ups for the rest. */
export class NativeDedup {
  private readonly seen = new Map<string, string>();

  constructor(readonly platform: string) {}

  /**
   * For each row of a chunk (its key, or null), whether it duplicates a stored record ({ of: rawRecordId }), an
   * earlier row of this chunk ({ ofRow: index }), or nothing (null). One query for the keys this run has not seen.
   */
  async plan(client: PoolClient, keys: readonly (NativeKey | null)[]): Promise<DedupPlan[]> {
    const texts = keys.map((k) => (k ? keyText(k) : null));
    const ask: number[] = [];
    const asked = new Set<string>();
    texts.forEach((t, i) => {
      if (t !== null && !this.seen.has(t) && !asked.has(t)) {
        asked.add(t);
        ask.push(i);
      }
    });
    const stored = new Map<string, string>();
    if (ask.length) {
      const found = await client.query<{ i: number; id: string }>(
        `SELECT u.i, e.id
           FROM unnest($2::text[], $3::text[], $4::timestamptz[], $5::int[]) AS u(cls, nid, t, i)
           CROSS JOIN LATERAL (
             SELECT ev."rawRecordId"::text AS id FROM event ev
              WHERE ev.platform = $1 AND ev."nativeId" = u.nid AND ev.time = u.t AND ev."className" = u.cls
              ORDER BY ev."rawRecordId" LIMIT 1) e`,
        [this.platform, ask.map((i) => keys[i]!.className), ask.map((i) => keys[i]!.nativeId), ask.map((i) => keys[i]!.time), ask],
      );
      for (const r of found.rows) stored.set(texts[r.i]!, r.id);
    }
    const firstRow = new Map<string, number>();
    return texts.map((t, i) => {
      if (t === null) return null;
      const known = this.seen.get(t) ?? stored.get(t);
      if (known !== undefined) return { of: known };
      const earlier = firstRow.get(t);
      if (earlier !== undefined) return { ofRow: earlier };
      firstRow.set(t, i);
      return null;
    });
  }

  /** Remembers that the record with this key is stored as rawRecordId (after its chunk's append). */
  remember(key: NativeKey | null, rawRecordId: string): void {
    if (key) {
      const t = keyText(key);
      if (!this.seen.has(t)) this.seen.set(t, rawRecordId);
    }
  }
}

/** Writes a chunk's duplicates (one statement). */
export async function insertDuplicates(client: PoolClient, batchId: string, rows: readonly DuplicateRow[]): Promise<void> {
  if (rows.length === 0) return;
  await client.query(
    `INSERT INTO ingest_duplicate ("batchId", position, kind, "rawRecordId", "originalId", "nativeId")
     SELECT $1::uuid, u.position, u.kind, u.raw, u.orig, u.nid
       FROM unnest($2::bigint[], $3::text[], $4::bigint[], $5::bigint[], $6::text[]) AS u(position, kind, raw, orig, nid)`,
    [
      batchId,
      rows.map((r) => r.position),
      rows.map((r) => r.kind),
      rows.map((r) => r.rawRecordId),
      rows.map((r) => r.originalId),
      rows.map((r) => r.nativeId),
    ],
  );
}

/** A batch's duplicates in file order: which record each one duplicates. */
export async function listBatchDuplicates(batchId: string): Promise<DuplicateRow[]> {
  const r = await pool().query<{ position: string; kind: DuplicateRow["kind"]; raw: string | null; orig: string; nid: string | null }>(
    `SELECT position::text, kind, "rawRecordId"::text AS raw, "originalId"::text AS orig, "nativeId" AS nid
       FROM ingest_duplicate WHERE "batchId" = $1 ORDER BY position, id`,
    [batchId],
  );
  return r.rows.map((x) => ({ position: Number(x.position), kind: x.kind, rawRecordId: x.raw, originalId: x.orig, nativeId: x.nid }));
}
