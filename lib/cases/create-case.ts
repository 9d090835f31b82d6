import { DEFAULT_TENANT, type RequestContext } from "@/lib/context/request-context";
import { caseActor } from "./case-activity";
import { assertAssignable, activity, inCaseTx } from "./shared";
import type { CreatedCase } from "./create-case.types";
import type { CreateCaseInput } from "./types";

// A new case, open, with its "created" history entry (and audit entry) in the same transaction. `input` is parsed
// by createCaseInput (the route contract, or the caller).
export async function createCase({ ctx, input: v }: { ctx: RequestContext; input: CreateCaseInput }): Promise<CreatedCase> {
  return inCaseTx(async (tx) => {
    if (v.assigneeId) await assertAssignable(tx, v.assigneeId);
    const c = await tx.case.create({
      data: {
        tenantId: DEFAULT_TENANT,
        title: v.title,
        description: v.description ?? null,
        severity: v.severity,
        assigneeId: v.assigneeId ?? null,
        tags: v.tags ?? [],
        createdById: caseActor(ctx).id,
        createdByLabel: caseActor(ctx).label,
      },
    });
    await activity(tx, ctx, c.id, "created", undefined, {
      number: c.number,
      title: c.title,
      description: c.description,
      severity: c.severity,
      status: c.status,
      assigneeId: c.assigneeId,
      tags: c.tags,
    });
    return { id: c.id, number: c.number, title: c.title, status: c.status, severity: c.severity };
  });
}
