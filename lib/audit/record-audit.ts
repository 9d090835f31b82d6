import { z } from "zod";
import type { Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/db";

// The dashboard's own audit trail. Payloads are a union keyed on `type`, so every kind of entry has a known
// shape. Callers that change data pass their transaction client, so that the entry commits with the change.
export const auditDetails = z.discriminatedUnion("type", [
  z.object({ type: z.literal("auth.sign_in"), provider: z.string() }),
  z.object({ type: z.literal("auth.sign_in_failed"), provider: z.string(), email: z.string(), reason: z.string() }),
  z.object({ type: z.literal("auth.sign_out") }),
  z.object({
    type: z.literal("user.created"),
    email: z.string(),
    role: z.string(),
    provider: z.string(),
  }),
  z.object({ type: z.literal("api_token.created"), name: z.string(), prefix: z.string(), source: z.string() }),
  z.object({ type: z.literal("api_token.revoked"), name: z.string(), prefix: z.string() }),
  z.object({
    type: z.literal("ingest.batch"),
    batchId: z.string(),
    fileName: z.string(),
    via: z.string(),
    read: z.number(),
    stored: z.number(),
    duplicate: z.number(),
    quarantined: z.number(),
  }),
  z.object({ type: z.literal("ingest.reprocess"), count: z.number(), resolved: z.number() }),
  z.object({
    type: z.literal("user.updated"),
    before: z.record(z.string(), z.unknown()),
    after: z.record(z.string(), z.unknown()),
  }),
]);
export type AuditDetails = z.infer<typeof auditDetails>;

export type AuditContext = {
  actorId?: string | null;
  actorEmail?: string | null;
  ip?: string | null;
  userAgent?: string | null;
};

export async function recordAudit(
  entry: AuditContext & { resourceType?: string; resourceId?: string; details: AuditDetails },
  tx: Prisma.TransactionClient = db(),
): Promise<void> {
  const details = auditDetails.parse(entry.details);
  await tx.auditLog.create({
    data: {
      actorId: entry.actorId ?? null,
      actorEmail: entry.actorEmail ?? null,
      action: details.type,
      resourceType: entry.resourceType ?? null,
      resourceId: entry.resourceId ?? null,
      ip: entry.ip ?? null,
      userAgent: entry.userAgent?.slice(0, 512) ?? null,
      details: details as Prisma.InputJsonValue,
    },
  });
}
