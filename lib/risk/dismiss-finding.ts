import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { recordAudit } from "@/lib/audit/record-audit";
import { actorUserId, DEFAULT_TENANT, requireActorUserId, type RequestContext } from "@/lib/context/request-context";
import { AppError } from "@/lib/errors";
import { MAX_RISK_ACCEPTANCE_DAYS, type DismissFindingInput, type FindingReasonInput } from "./types";

const DAY = 86_400_000;

async function loadFinding(tx: Prisma.TransactionClient, id: string) {
  const f = await tx.finding.findFirst({ where: { id, tenantId: DEFAULT_TENANT } });
  if (!f) throw new AppError("NOT_FOUND", "No such finding. Check the link, or go back to the findings list.");
  return f;
}

// Dismiss a finding, as one of two kinds:
// - false_positive: the finding is wrong; it leaves the population the compliance status counts;
// - risk_accepted: the finding is right and the risk is accepted until an expiry date; it stays against its controls
//   until someone other than the person who dismissed it approves it (approveRiskAcceptance), and is then listed as an
//   exception, never as evidence.
// A dismissal covers the occurrences (event ids) it names, by default those the finding names now: a rule run that
// finds others reopens it (run-risk-rules.ts). The finding_activity row and the audit entry commit with the change.
// `input` is parsed by dismissFindingInput (the route contract, or the caller); the expiry is checked here, against
// `now`, and the occurrences against the finding's own events.
export async function dismissFinding({
  ctx,
  id,
  input: d,
  now = new Date(),
}: {
  ctx: RequestContext;
  id: string;
  input: DismissFindingInput;
  now?: Date;
}): Promise<{ id: string; status: "dismissed"; dismissalType: "false_positive" | "risk_accepted" }> {
  let expiresAt: Date | null = null;
  if (d.type === "risk_accepted") {
    expiresAt = d.expiresAt;
    if (expiresAt.getTime() <= now.getTime()) {
      throw new AppError("VALIDATION", "The expiry date of a risk acceptance must be in the future.", {
        expiresAt: ["Pick a date after today."],
      });
    }
    if (expiresAt.getTime() > now.getTime() + MAX_RISK_ACCEPTANCE_DAYS * DAY) {
      throw new AppError(
        "VALIDATION",
        `A risk acceptance can run at most ${MAX_RISK_ACCEPTANCE_DAYS} days; accept it again when it expires.`,
        {
          expiresAt: [`Pick a date within ${MAX_RISK_ACCEPTANCE_DAYS} days.`],
        },
      );
    }
  }
  const actorId = actorUserId(ctx);
  await db().$transaction(async (tx) => {
    const f = await loadFinding(tx, id);
    if (f.status === "dismissed")
      throw new AppError("CONFLICT", "This finding is already dismissed. Reopen it first to dismiss it differently.");
    const named = f.eventIds.map(String);
    const covered = d.eventIds ?? named;
    const foreign = covered.filter((e) => !named.includes(e));
    if (foreign.length > 0) {
      throw new AppError("VALIDATION", `Event ${foreign.join(", ")} is not an occurrence of this finding: name only the events it lists.`, {
        eventIds: ["Name only the finding's own events."],
      });
    }
    if (named.length > 0 && covered.length === 0) {
      throw new AppError("VALIDATION", "Name at least one occurrence to dismiss, or leave eventIds out to cover all of them.", {
        eventIds: ["Name at least one event."],
      });
    }
    const at = now;
    await tx.finding.update({
      where: { id },
      data: {
        status: "dismissed",
        dismissalType: d.type,
        dismissedReason: d.reason,
        dismissedById: actorId,
        dismissedAt: at,
        dismissedEventIds: covered.map((e) => BigInt(e)),
        riskExpiresAt: expiresAt,
        riskApprovedById: null,
        riskApprovedAt: null,
      },
    });
    const label =
      d.type === "false_positive" ? "False positive" : `Risk accepted until ${expiresAt!.toISOString().slice(0, 10)}, awaiting approval`;
    await tx.findingActivity.create({ data: { findingId: id, actorId, action: "dismissed", reason: `${label}: ${d.reason}`, at } });
    await recordAudit(
      {
        ctx,
        resourceType: "finding",
        resourceId: id,
        details: {
          type: "finding.dismissed",
          findingId: id,
          ruleId: f.ruleId,
          reason: d.reason,
          dismissalType: d.type,
          expiresAt: expiresAt?.toISOString() ?? null,
          eventIds: covered,
        },
      },
      tx,
    );
  });
  return { id, status: "dismissed", dismissalType: d.type };
}

// Approve a risk acceptance: needs a second person (never the one who dismissed it); the finding then counts as an
// exception until its expiry. `input` is parsed by findingReasonInput.
export async function approveRiskAcceptance({
  ctx,
  id,
  input: { reason },
  now = new Date(),
}: {
  ctx: RequestContext;
  id: string;
  input: FindingReasonInput;
  now?: Date;
}): Promise<{ id: string; status: "dismissed"; dismissalType: "risk_accepted"; riskExpiresAt: string }> {
  const approver = requireActorUserId(ctx);
  const expires = await db().$transaction(async (tx) => {
    const f = await loadFinding(tx, id);
    if (f.status !== "dismissed" || f.dismissalType !== "risk_accepted") {
      throw new AppError("CONFLICT", "Only a finding dismissed as risk accepted can be approved.");
    }
    if (f.riskApprovedAt) throw new AppError("CONFLICT", "This risk acceptance is already approved.");
    if (f.dismissedById === approver) {
      throw new AppError(
        "FORBIDDEN",
        "You accepted this risk, so you cannot approve it too: ask another compliance manager or an administrator.",
      );
    }
    if (!f.riskExpiresAt || f.riskExpiresAt.getTime() <= now.getTime()) {
      throw new AppError(
        "CONFLICT",
        "This risk acceptance has expired: reopen the finding and accept the risk again with a new expiry date.",
      );
    }
    await tx.finding.update({ where: { id }, data: { riskApprovedById: approver, riskApprovedAt: now } });
    await tx.findingActivity.create({ data: { findingId: id, actorId: approver, action: "approved", reason, at: now } });
    await recordAudit(
      {
        ctx,
        resourceType: "finding",
        resourceId: id,
        details: { type: "finding.risk_approved", findingId: id, ruleId: f.ruleId, reason, expiresAt: f.riskExpiresAt.toISOString() },
      },
      tx,
    );
    return f.riskExpiresAt;
  });
  return { id, status: "dismissed", dismissalType: "risk_accepted", riskExpiresAt: expires.toISOString() };
}

// Reopen a dismissed finding, with a reason (as findingReasonInput outputs it); the dismissal (type, occurrences,
// approval) is cleared.
export async function reopenFinding({
  ctx,
  id,
  reason: why,
}: {
  ctx: RequestContext;
  id: string;
  reason: string;
}): Promise<{ id: string; status: "open" }> {
  const actorId = actorUserId(ctx);
  await db().$transaction(async (tx) => {
    const f = await loadFinding(tx, id);
    if (f.status === "open") throw new AppError("CONFLICT", "This finding is already open.");
    const at = new Date();
    await tx.finding.update({
      where: { id },
      data: {
        status: "open",
        dismissalType: null,
        dismissedReason: null,
        dismissedById: null,
        dismissedAt: null,
        dismissedEventIds: [],
        riskExpiresAt: null,
        riskApprovedById: null,
        riskApprovedAt: null,
      },
    });
    await tx.findingActivity.create({ data: { findingId: id, actorId, action: "reopened", reason: why, at } });
    await recordAudit(
      { ctx, resourceType: "finding", resourceId: id, details: { type: "finding.reopened", findingId: id, ruleId: f.ruleId, reason: why } },
      tx,
    );
  });
  return { id, status: "open" };
}
