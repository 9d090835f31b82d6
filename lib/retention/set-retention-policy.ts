import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { actorUserId, type RequestContext } from "@/lib/context/request-context";
import type { RetentionDaysInput } from "./types";

// Retention per source, in days (null removes the policy: kept forever). Audited with before and after in the
// same transaction as the change. `input` is parsed by retentionDaysInput (the route contract, or the caller).
export async function setRetentionPolicy({
  ctx,
  sourceId,
  input: { days },
}: {
  ctx: RequestContext;
  sourceId: string;
  input: RetentionDaysInput;
}): Promise<{ sourceId: string; days: number | null }> {
  return db().$transaction(async (tx) => {
    const source = await tx.source.findUnique({ where: { id: sourceId }, include: { retention: true } });
    if (!source) throw new AppError("NOT_FOUND", "There is no such source. Pick one from the list on the Retention page.");
    const before = source.retention?.days ?? null;
    if (days === null) {
      if (source.retention) await tx.retentionPolicy.delete({ where: { sourceId } });
    } else {
      await tx.retentionPolicy.upsert({
        where: { sourceId },
        create: { sourceId, days, updatedById: actorUserId(ctx) },
        update: { days, updatedById: actorUserId(ctx) },
      });
    }
    if (before !== days) {
      await recordAudit(
        {
          ctx,
          resourceType: "source",
          resourceId: sourceId,
          details: { type: "retention.policy_changed", sourceId, before, after: days },
        },
        tx,
      );
    }
    return { sourceId, days };
  });
}
