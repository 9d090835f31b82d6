import { pool } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { appendBatchNote, BATCH_COLUMNS, entriesTree, toBatch, type BatchDbRow, type LedgerBatch } from "@/lib/ledger/append-batch";
import type { MerkleTree } from "@/lib/ledger/merkle";
import { prefetched } from "./prefetched";

// What ties each raw record of a package, and its normalized events, to what was signed when the record was
// written: its signed append batch (lib/ledger/append-batch.ts). The inclusion proofs show a record's bytes are in
// the ledger; they say nothing about the events, which a database user could edit (source IP, actor) before the
// export signs them into SHA256SUMS. So the package also carries, per raw record, the hashes of all its events
// (SHA-256 of each event's stored JSON, in id order) and the path from its batch entry (leaf hash || SHA-256 of
// those hashes) to the root its batch signed; and the batches' signed notes. verify.mjs checks that every event's
// `data` hashes to one of its record's event hashes, and the rest up to the signature (docs/evidence-package.md).
//
//   proofs/append-batches.json   the signed append batches the records belong to, and batch #1 (where the
//                                records that predate append batches end)
//   proofs/append-proofs.ndjson  per raw record, in leaf order: {rawRecordId, leafIndex, batch, eventHashes, path}
//                                ({..., "batch": null} for a record no batch covers)
//
// Cost: per touched batch its entries (64 bytes per record of the batch) are read and a Merkle tree built over
// them; per page of records one query for the event hashes.

const PAGE = 5_000;

export type PackageBatch = {
  seq: number;
  firstLeaf: number;
  count: number;
  afterCheckpoint: number;
  /** Merkle root of the batch's entries, hex. */
  entriesRoot: string;
  createdAt: string;
  keyFingerprint: string;
  /** Ed25519 signature of `note`, base64. */
  signature: string;
  /** The exact signed text. */
  note: string;
};

function packageBatch(b: LedgerBatch): PackageBatch {
  return {
    seq: b.seq,
    firstLeaf: b.firstLeaf,
    count: b.count,
    afterCheckpoint: b.afterCheckpoint,
    entriesRoot: Buffer.from(b.entriesRoot).toString("hex"),
    createdAt: b.createdAt.toISOString(),
    keyFingerprint: b.keyFingerprint,
    signature: b.signature.toString("base64"),
    note: appendBatchNote(b).toString("utf8"),
  };
}

/** The batches of the cited leaves (ascending), and batch #1, in leaf order. */
export async function appendBatchesFor(leafIndices: Float64Array): Promise<LedgerBatch[]> {
  const r = await pool().query<BatchDbRow>(
    `SELECT ${BATCH_COLUMNS} FROM ledger_batch b
      WHERE b.seq = 1 OR b.seq IN (
        SELECT x.seq FROM unnest($1::bigint[]) AS l(leaf)
          CROSS JOIN LATERAL (SELECT seq, "firstLeaf", count FROM ledger_batch WHERE "firstLeaf" <= l.leaf ORDER BY "firstLeaf" DESC LIMIT 1) x
         WHERE x."firstLeaf" + x.count > l.leaf)
      ORDER BY b."firstLeaf"`,
    [Array.from(leafIndices, String)],
  );
  return r.rows.map(toBatch);
}

export function appendBatchesJson(batches: readonly LedgerBatch[]): Buffer {
  return Buffer.from(JSON.stringify(batches.map(packageBatch), null, 2) + "\n", "utf8");
}

/** Each record's event hashes (hex, in event id order), for a page of records. */
async function eventHashes(rawRecordIds: Float64Array): Promise<Map<string, string>> {
  const r = await pool().query<{ raw: string; hashes: string }>(
    // An event without a hash gets zeros: its record's binding then fails in verify.mjs, as `ledger verify` reports it.
    `SELECT e."rawRecordId"::text AS raw, string_agg('"' || COALESCE(encode(e."dataHash", 'hex'), repeat('0', 64)) || '"', ',' ORDER BY e.id) AS hashes
       FROM event e WHERE e."rawRecordId" = ANY($1::bigint[]) GROUP BY e."rawRecordId"`,
    [Array.from(rawRecordIds, String)],
  );
  return new Map(r.rows.map((x) => [x.raw, x.hashes]));
}

/** proofs/append-proofs.ndjson, a page of records at a time, in the given (leaf) order. */
export async function* appendProofLines({
  rawRecordIds,
  leafIndices,
  batches,
}: {
  rawRecordIds: Float64Array;
  leafIndices: Float64Array;
  batches: readonly LedgerBatch[];
}): AsyncGenerator<Buffer> {
  let at = 0; // batches[at] is the first batch that may hold the current leaf
  let tree = null as { seq: number; tree: MerkleTree } | null;
  // The next page's event hashes are read while this one's lines are built.
  const pages = Math.ceil(rawRecordIds.length / PAGE);
  let start = 0;
  for await (const hashes of prefetched(pages, (p) => eventHashes(rawRecordIds.subarray(p * PAGE, (p + 1) * PAGE)))) {
    const end = Math.min(start + PAGE, rawRecordIds.length);
    const lines: string[] = [];
    // Neighbouring leaves share most of their path: a sibling equal to the previous record's at the same step
    // reuses its hex.
    let prevPath: Buffer[] = [];
    let prevHex: string[] = [];
    for (let i = start; i < end; i++) {
      const id = String(rawRecordIds[i]);
      const leaf = leafIndices[i];
      while (at < batches.length && batches[at].firstLeaf + batches[at].count <= leaf) at++;
      const b = batches[at];
      if (!b || b.firstLeaf > leaf) {
        lines.push(`{"rawRecordId":"${id}","leafIndex":${leaf},"batch":null}\n`);
        continue;
      }
      if (tree?.seq !== b.seq) {
        const r = await pool().query<{ entries: Buffer }>(`SELECT entries FROM ledger_batch WHERE seq = $1`, [b.seq]);
        const entries = r.rows[0]?.entries;
        if (!entries || entries.length !== b.count * 64) {
          throw new AppError("INTERNAL", `append batch #${b.seq} has lost its entries. Run \`npm run cli -- ledger verify\`.`);
        }
        tree = { seq: b.seq, tree: entriesTree(entries) };
      }
      const proof = tree.tree.inclusionProof(leaf - b.firstLeaf);
      const hex = proof.map((h, k) => (prevPath[k]?.equals(h) ? prevHex[k] : `"${h.toString("hex")}"`));
      prevPath = proof;
      prevHex = hex;
      lines.push(
        `{"rawRecordId":"${id}","leafIndex":${leaf},"batch":${b.seq},"eventHashes":[${hashes.get(id) ?? ""}],"path":[${hex.join(",")}]}\n`,
      );
    }
    yield Buffer.from(lines.join(""), "latin1");
    start = end;
  }
}
