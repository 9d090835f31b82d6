import { pool } from "@/lib/db";
import { toEventRow, type EventRow, type NormalizedEvent } from "@/lib/events/schema";
import { eventsHash } from "./append-batch";
import type { LedgerError } from "./ledger-error";
import { sha256 } from "./merkle";

// verifyLedger's checks of the normalized events, record by record. An event's content is its stored JSON text
// (`data`); its hash (`dataHash`, SHA-256 of that text) was computed once at ingest, and the record's signed append
// batch commits to the hashes of all its events (eventsHash). The columns beside `data` (source IP, actor name, ...)
// are a projection of it for queries, re-derived here with the ingest's own mapping (toEventRow) and compared.
// Cost: each event's text is read, hashed and parsed once (about as much again as reading the raw payloads).

const COLUMNS = [
  "platform",
  "time",
  "classUid",
  "className",
  "activity",
  "eventName",
  "nativeId",
  "status",
  "actorExternalId",
  "actorName",
  "actorType",
  "sessionKey",
  "credentialKey",
  "clientAppId",
  "srcIp",
  "userAgent",
  "targetType",
  "targetId",
  "targetName",
  "privileged",
] as const satisfies readonly (keyof EventRow)[];

type Column = (typeof COLUMNS)[number];

export type StoredEvent = { id: string; rawRecordId: string; dataHash: Buffer | null; data: string } & Pick<EventRow, Column>;

/** The events of the given raw records, by record, each record's in id order (the order they were stored in). */
export async function loadRecordEvents(rawRecordIds: readonly string[]): Promise<Map<string, StoredEvent[]>> {
  const out = new Map<string, StoredEvent[]>();
  if (rawRecordIds.length === 0) return out;
  const r = await pool().query<StoredEvent>(
    `SELECT e.id::text AS id, e."rawRecordId"::text AS "rawRecordId", e."dataHash", e.data::text AS data,
            ${COLUMNS.map((c) => `e."${c}"`).join(", ")}
       FROM event e WHERE e."rawRecordId" = ANY($1::bigint[]) ORDER BY e."rawRecordId", e.id`,
    [rawRecordIds],
  );
  for (const e of r.rows) {
    let list = out.get(e.rawRecordId);
    if (!list) out.set(e.rawRecordId, (list = []));
    list.push(e);
  }
  return out;
}

// Strings compare as their UTF-8 bytes: a lone surrogate in the JSON text becomes U+FFFD in a text column.
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (typeof a === "string" && typeof b === "string") return Buffer.from(a, "utf8").equals(Buffer.from(b, "utf8"));
  return false;
}

/** The columns that differ from what the event's data gives (or why the data gives none). */
function columnProblems(e: StoredEvent): string | null {
  let derived: EventRow;
  try {
    const data = JSON.parse(e.data) as NormalizedEvent & { time: string };
    derived = toEventRow({ ...data, time: new Date(data.time) });
  } catch (err) {
    return `its data is not a normalized event (${(err as Error).message})`;
  }
  // A NULL eventName is not a claim (readers fall back to the data's event_name); any other value must match.
  const differ = COLUMNS.filter((c) => !(c === "eventName" && e[c] === null) && !sameValue(e[c], derived[c]));
  if (differ.length === 0) return null;
  const show = (v: unknown) => (v instanceof Date ? v.toISOString() : JSON.stringify(v));
  return differ.map((c) => `${c} is ${show(e[c])} but its data says ${show(derived[c])}`).join("; ");
}

/**
 * Checks one record's events: each event's text against its own hash, its columns against its text. Returns the
 * record's events hash computed from the events' content as it is now, for the caller to compare with the signed
 * one. `hashed`: the record was written with event hashes (a missing hash is then an error).
 */
export function checkRecordEvents(
  events: readonly StoredEvent[],
  leafIndex: number,
  hashed: boolean,
  fail: (e: LedgerError) => void,
): Buffer {
  const contentHashes = events.map((e) => {
    const h = sha256(Buffer.from(e.data, "utf8"));
    const at = { rawRecordId: e.rawRecordId, leafIndex, eventId: e.id };
    if (!e.dataHash) {
      if (hashed) fail({ kind: "event-unhashed", ...at, message: `event ${e.id} (raw record ${e.rawRecordId}) has no content hash` });
    } else if (!h.equals(e.dataHash)) {
      fail({
        kind: "event-content-mismatch",
        ...at,
        message: `event ${e.id} (raw record ${e.rawRecordId}): its normalized event does not match its content hash (the event was edited)`,
      });
    }
    const columns = columnProblems(e);
    if (columns) {
      fail({
        kind: "event-column-mismatch",
        ...at,
        message: `event ${e.id} (raw record ${e.rawRecordId}): ${columns} (a column was edited)`,
      });
    }
    return h;
  });
  return eventsHash(contentHashes);
}

/** Events whose raw record does not exist (at most `limit`). */
export async function orphanEvents(limit: number): Promise<{ id: string; rawRecordId: string }[]> {
  const r = await pool().query<{ id: string; rawRecordId: string }>(
    `SELECT e.id::text AS id, e."rawRecordId"::text AS "rawRecordId" FROM event e
      WHERE NOT EXISTS (SELECT 1 FROM raw_record r WHERE r.id = e."rawRecordId") ORDER BY e.id LIMIT ${limit}`,
  );
  return r.rows;
}
