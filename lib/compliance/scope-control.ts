import { db } from "@/lib/db";
import { recordAudit } from "@/lib/audit/record-audit";
import { actorUserId, DEFAULT_TENANT, type RequestContext } from "@/lib/context/request-context";
import { AppError } from "@/lib/errors";
import { findControl, requireFramework } from "./catalogs";
import type { ScopeOutInput } from "./scope-control.types";

export type ControlScoping = { framework: string; controlId: string; reason: string; scopedBy: string | null; scopedAt: string };

function requireControl(framework: string, controlId: string) {
  const slug = requireFramework(framework);
  if (!findControl(slug, controlId)) {
    throw new AppError("NOT_FOUND", `Unknown control "${controlId}" in ${slug}. Use a control id from the framework page.`);
  }
  return slug;
}

// Scopes a control out of the assessment ("not applicable"): a compliance decision with a required reason, recorded
// with who made it; the audit entry commits with the change. Its evidence is still measured and shown. `input` is
// parsed by scopeOutInput (the route contract, or the caller).
export async function scopeOutControl({
  ctx,
  framework,
  controlId,
  input: { reason },
}: {
  ctx: RequestContext;
  framework: string;
  controlId: string;
  input: ScopeOutInput;
}): Promise<ControlScoping> {
  const slug = requireControl(framework, controlId);
  const row = await db().$transaction(async (tx) => {
    const key = { tenantId_framework_controlId: { tenantId: DEFAULT_TENANT, framework: slug, controlId } };
    if (await tx.controlScope.findUnique({ where: key })) {
      throw new AppError("CONFLICT", `${controlId} is already scoped out. Scope it back in first to change the reason.`);
    }
    const created = await tx.controlScope.create({
      data: { tenantId: DEFAULT_TENANT, framework: slug, controlId, reason, scopedById: actorUserId(ctx) },
    });
    await recordAudit(
      {
        ctx,
        resourceType: "control",
        resourceId: `${slug}/${controlId}`,
        details: { type: "control.scoped_out", framework: slug, controlId, reason },
      },
      tx,
    );
    return created;
  });
  return { framework: slug, controlId, reason, scopedBy: ctx.actor.email ?? null, scopedAt: row.scopedAt.toISOString() };
}

// Scopes a control back in; the reason is kept in the audit trail beside the one it was scoped out with.
export async function scopeInControl({
  ctx,
  framework,
  controlId,
  input: { reason },
}: {
  ctx: RequestContext;
  framework: string;
  controlId: string;
  input: ScopeOutInput;
}): Promise<{ framework: string; controlId: string; scoped: false }> {
  const slug = requireControl(framework, controlId);
  await db().$transaction(async (tx) => {
    const removed = await tx.controlScope.deleteMany({ where: { tenantId: DEFAULT_TENANT, framework: slug, controlId } });
    if (removed.count === 0) throw new AppError("CONFLICT", `${controlId} is not scoped out.`);
    await recordAudit(
      {
        ctx,
        resourceType: "control",
        resourceId: `${slug}/${controlId}`,
        details: { type: "control.scoped_in", framework: slug, controlId, reason },
      },
      tx,
    );
  });
  return { framework: slug, controlId, scoped: false };
}

/** The scoped-out controls of a framework, by control id, with who scoped them out. */
export async function listControlScopes(framework: string): Promise<Map<string, ControlScoping>> {
  const rows = await db().controlScope.findMany({ where: { tenantId: DEFAULT_TENANT, framework } });
  const ids = rows.map((r) => r.scopedById).filter((x): x is string => !!x);
  const users = ids.length ? await db().user.findMany({ where: { id: { in: ids } }, select: { id: true, email: true } }) : [];
  const email = new Map(users.map((u) => [u.id, u.email]));
  return new Map(
    rows.map((r) => [
      r.controlId,
      {
        framework: r.framework,
        controlId: r.controlId,
        reason: r.reason,
        scopedBy: r.scopedById ? (email.get(r.scopedById) ?? null) : null,
        scopedAt: r.scopedAt.toISOString(),
      },
    ]),
  );
}
