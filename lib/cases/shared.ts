import type { Prisma } from "@/lib/generated/prisma/client";
import { can } from "@/lib/auth/permissions";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { recordCaseActivity } from "./case-activity";
import { DEFAULT_TENANT, type RequestContext } from "@/lib/context/request-context";
import type { ActorRef, UserRef } from "./types";

// What every case change shares: find the case (not found otherwise), run the change and
// its history entries in one transaction, and keep the case's updatedAt honest for the list's "recently changed".

export type Tx = Prisma.TransactionClient;

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function userRef(u: { id: string; email: string; name: string | null } | null | undefined): UserRef | null {
  return u ? { id: u.id, email: u.email, name: u.name } : null;
}

/** The user who made a change, or, when no user row was behind it (the command line), its recorded label. */
export function actorRef(u: { id: string; email: string; name: string | null } | null | undefined, label: string | null): ActorRef | null {
  if (u) return { id: u.id, email: u.email, name: u.name };
  return label ? { id: null, email: label, name: null } : null;
}

/** Loads the case row inside the transaction, locked so that two concurrent changes record a true before/after. */
export async function lockCase(tx: Tx, caseId: string) {
  if (!UUID.test(caseId)) throw new AppError("NOT_FOUND", "No such case. Check the link, or find the case on the Cases page.");
  const rows = await tx.$queryRaw<
    { id: string }[]
  >`SELECT id FROM "case" WHERE id = ${caseId}::uuid AND "tenantId" = ${DEFAULT_TENANT} FOR UPDATE`;
  if (rows.length === 0) throw new AppError("NOT_FOUND", "No such case. Check the link, or find the case on the Cases page.");
  return tx.case.findUniqueOrThrow({ where: { id: caseId } });
}

export async function touchCase(tx: Tx, caseId: string): Promise<void> {
  await tx.case.update({ where: { id: caseId }, data: { updatedAt: new Date() } });
}

/** A case is assigned only to an enabled user whose role may work cases. */
export async function assertAssignable(tx: Tx, userId: string, field = "assigneeId"): Promise<void> {
  const u = await tx.user.findUnique({ where: { id: userId } });
  if (!u || u.disabled) throw new AppError("VALIDATION", "That user does not exist or is disabled.", { [field]: ["no such enabled user"] });
  if (!can(u.role, "cases.write")) {
    throw new AppError("VALIDATION", `${u.email} (${u.role}) cannot work cases; assign an analyst or an administrator.`, {
      [field]: ["this user's role cannot work cases"],
    });
  }
}

/** Runs a case change and its history in one transaction. */
export function inCaseTx<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db().$transaction(fn);
}

export function activity(tx: Tx, ctx: RequestContext, caseId: string, action: string, before?: unknown, after?: unknown) {
  return recordCaseActivity(tx, { ctx, caseId, action, before, after });
}
