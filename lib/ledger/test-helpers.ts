import crypto from "node:crypto";
import type { PoolClient } from "pg";
import { pool } from "@/lib/db";
import { withTransaction } from "@/lib/db/transaction";
import { appendRawRecords, type AppendResult, type AppendRow } from "./append-raw-records";

// Shared by the ledger tests (not imported by application code).

export async function createTestSource(name = `source-${crypto.randomUUID()}`): Promise<string> {
  const id = crypto.randomUUID();
  await pool().query(`INSERT INTO source (id, platform, name) VALUES ($1, 'test', $2)`, [id, name]);
  return id;
}

export async function inTransaction<T>(fn: (client: PoolClient) => Promise<T>): Promise<T> {
  return withTransaction(fn);
}

export function payloadRows(sourceId: string, payloads: (string | Buffer)[], fileName = "test.json"): AppendRow[] {
  return payloads.map((p, i) => ({
    sourceId,
    batchId: null,
    fileName,
    position: i,
    payload: typeof p === "string" ? Buffer.from(p) : p,
  }));
}

export async function append(sourceId: string, payloads: (string | Buffer)[]): Promise<AppendResult[]> {
  return inTransaction((client) => appendRawRecords({ client, rows: payloadRows(sourceId, payloads) }));
}
