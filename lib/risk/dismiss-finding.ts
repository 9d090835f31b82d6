import { db } from "@/lib/db";
import { recordAudit } from "@/lib/audit/record-audit";
import { actorUserId, DEFAULT_TENANT, type RequestContext } from "@/lib/context/request-context";
import { AppError } from "@/lib/errors";
import { findingReasonInput } from "./types";

type Input = { ctx: RequestContext; id: string; reason: unknown };

// Dismiss / reopen a finding. The reason is required; the finding_activity row and the audit entry commit in the
// same transaction as the status change, so the history can never miss a change.
export async function dismissFinding(input: Input): Promise<{ id: string; status: "dismissed" }> {
  await changeStatus({ ...input, to: "dismissed" });
  return { id: input.id, status: "dismissed" };
}

export async function reopenFinding(input: Input): Promise<{ id: string; status: "open" }> {
  await changeStatus({ ...input, to: "open" });
  return { id: input.id, status: "open" };
}

async function changeStatus({ ctx, id, reason, to }: Input & { to: "open" | "dismissed" }): Promise<void> {
  const { reason: why } = findingReasonInput.parse({ reason });
  const actorId = actorUserId(ctx);
  await db().$transaction(async (tx) => {
    const f = await tx.finding.findFirst({ where: { id, tenantId: DEFAULT_TENANT } });
    if (!f) throw new AppError("NOT_FOUND", "No such finding. Check the link, or go back to the findings list.");
    if (f.status === to) {
      throw new AppError("CONFLICT", to === "dismissed" ? "This finding is already dismissed." : "This finding is already open.");
    }
    const at = new Date();
    await tx.finding.update({
      where: { id },
      data:
        to === "dismissed"
          ? { status: "dismissed", dismissedReason: why, dismissedById: actorId, dismissedAt: at }
          : { status: "open", dismissedReason: null, dismissedById: null, dismissedAt: null },
    });
    await tx.findingActivity.create({
      data: { findingId: id, actorId, action: to === "dismissed" ? "dismissed" : "reopened", reason: why, at },
    });
    await recordAudit(
      {
        ctx,
        resourceType: "finding",
        resourceId: id,
        details: { type: to === "dismissed" ? "finding.dismissed" : "finding.reopened", findingId: id, ruleId: f.ruleId, reason: why },
      },
      tx,
    );
  });
}
