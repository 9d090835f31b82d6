import { DEFAULT_TENANT } from "@/lib/context/request-context";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";

// A source is one stream of evidence from one platform (e.g. "okta", or "okta-eu" for a second Okta org).
// Ingest without a named source uses the platform's default source, named after the platform.
export async function ensureSource({ platform, name }: { platform: string; name?: string }, tx: Prisma.TransactionClient = db()) {
  const sourceName = name ?? platform;
  const existing = await tx.source.findUnique({ where: { tenantId_name: { tenantId: DEFAULT_TENANT, name: sourceName } } });
  // The dashboard's own audit trail (lib/audit/flush-audit-to-ledger.ts) is a source too; nothing else may feed it.
  if (existing && existing.platform === "sessionproof-audit" && platform !== existing.platform) {
    throw new AppError(
      "CONFLICT",
      `The source name "${sourceName}" is reserved for Sessionproof's own audit trail. Choose another source name.`,
    );
  }
  if (existing) return existing;
  try {
    return await tx.source.create({ data: { tenantId: DEFAULT_TENANT, platform, name: sourceName } });
  } catch {
    // Created concurrently by another ingest: read it back.
    return tx.source.findUniqueOrThrow({ where: { tenantId_name: { tenantId: DEFAULT_TENANT, name: sourceName } } });
  }
}
