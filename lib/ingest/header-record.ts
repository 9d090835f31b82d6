import { withTransaction } from "@/lib/db/transaction";
import { appendRawRecords } from "@/lib/ledger/append-raw-records";

// A CSV file's header row as a ledger record of its own. Its rows are raw records of the same batch
// (raw_record."batchId"), and the batch points at the header's record (ingest_batch."headerRawRecordId"), so a row
// and the names of its columns are both proven by the ledger, and an evidence package carries both.
// Position -1: data rows are numbered from 0, the header precedes them. The record has no normalized events (like
// an audit record). A second file of the same source with the same header finds the stored record (the ledger
// stores each (source, content) once) and points at it.

/** The header's position in its file: before the first data row (0). */
export const HEADER_POSITION = -1;

export async function appendHeaderRecord({
  batchId,
  sourceId,
  fileName,
  header,
}: {
  batchId: string;
  sourceId: string;
  fileName: string;
  header: Buffer;
}): Promise<string> {
  return withTransaction(async (client) => {
    const [stored] = await appendRawRecords({
      client,
      rows: [{ sourceId, batchId, fileName, position: HEADER_POSITION, payload: header }],
    });
    await client.query(`UPDATE ingest_batch SET header = $2, format = 'csv', "headerRawRecordId" = $3::bigint WHERE id = $1::uuid`, [
      batchId,
      header.toString("utf8"),
      stored.id,
    ]);
    return stored.id;
  });
}
