import { db } from "@/lib/db";
import type { BatchDto } from "./list-batches.types";

export type { BatchDto } from "./list-batches.types";

export async function listBatches({ limit = 100 }: { limit?: number } = {}): Promise<BatchDto[]> {
  const rows = await db().ingestBatch.findMany({
    orderBy: { startedAt: "desc" },
    take: Math.min(Math.max(limit, 1), 500),
    include: { source: { select: { name: true } } },
  });
  const resolved = await db().quarantinedRecord.groupBy({
    by: ["batchId"],
    where: { batchId: { in: rows.map((r) => r.id) }, resolvedRawRecordId: { not: null } },
    _count: { _all: true },
  });
  const resolvedBy = new Map(resolved.map((r) => [r.batchId, r._count._all]));
  return rows.map((b) => ({
    id: b.id,
    fileName: b.fileName,
    platform: b.platform,
    sourceName: b.source?.name ?? null,
    format: b.format,
    via: b.via,
    status: b.status,
    byteSize: b.byteSize === null ? null : Number(b.byteSize),
    bytesRead: Number(b.bytesRead),
    read: b.readCount,
    stored: b.storedCount,
    duplicate: b.duplicateCount,
    quarantined: b.quarantinedCount,
    skipped: b.skippedCount,
    note: b.note,
    resolvedLater: resolvedBy.get(b.id) ?? 0,
    error: b.error,
    startedAt: b.startedAt.toISOString(),
    finishedAt: b.finishedAt?.toISOString() ?? null,
  }));
}
