import type { RequestContext } from "@/lib/context/request-context";
import { AppError } from "@/lib/errors";
import { activity, assertAssignable, inCaseTx, lockCase } from "./shared";
import { STATUS_LABEL, TRANSITIONS, type CaseStatus, type ChangeResult, type UpdateCaseInput } from "./types";

const FIELDS = ["title", "description", "severity", "assigneeId", "tags"] as const;

// Edits a case's fields and/or moves its status along the workflow (lib/cases/types.ts TRANSITIONS). Field edits
// are one "updated" entry with only the fields that changed, before and after; a status move is its own
// "status_changed" entry. An illegal move is refused with the moves that are allowed from here.
export async function updateCase({
  ctx,
  caseId,
  input: v,
}: {
  ctx: RequestContext;
  caseId: string;
  input: UpdateCaseInput;
}): Promise<ChangeResult> {
  return inCaseTx(async (tx) => {
    const c = await lockCase(tx, caseId);
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    for (const f of FIELDS) {
      const next = v[f];
      if (next === undefined) continue;
      const prev = c[f];
      if (JSON.stringify(prev ?? null) === JSON.stringify(next ?? null)) continue;
      before[f] = prev ?? null;
      after[f] = next ?? null;
    }
    if (after.assigneeId) await assertAssignable(tx, after.assigneeId as string);

    let statusChange: { from: CaseStatus; to: CaseStatus } | null = null;
    if (v.status && v.status !== c.status) {
      const from = c.status as CaseStatus;
      const allowed = TRANSITIONS[from];
      if (!allowed.includes(v.status)) {
        throw new AppError(
          "CONFLICT",
          `A case cannot go from ${STATUS_LABEL[from]} to ${STATUS_LABEL[v.status]}. From ${STATUS_LABEL[from]} it can move to: ${allowed
            .map((s) => STATUS_LABEL[s])
            .join(", ")}.`,
          { status: [`not allowed from ${from}`] },
        );
      }
      statusChange = { from, to: v.status };
    }
    if (Object.keys(after).length === 0 && !statusChange) return { id: c.id, changed: false };

    await tx.case.update({
      where: { id: c.id },
      data: {
        ...(after as object),
        ...(statusChange ? { status: statusChange.to, closedAt: statusChange.to === "closed" ? new Date() : null } : {}),
        updatedAt: new Date(),
      },
    });
    if (Object.keys(after).length > 0) await activity(tx, ctx, c.id, "updated", before, after);
    if (statusChange) await activity(tx, ctx, c.id, "status_changed", { status: statusChange.from }, { status: statusChange.to });
    return { id: c.id, changed: true };
  });
}
