import { db } from "@/lib/db";
import { fmtScope } from "./scope-label";
import { countHeldRawRecords } from "./held-raw-records";
import type { HoldView } from "./types";

// Every legal hold, active first then newest: what is held (scope and how many raw records), why, by whom.
export async function listHolds({ caseId }: { caseId?: string } = {}): Promise<HoldView[]> {
  const holds = await db().legalHold.findMany({
    where: caseId ? { caseId } : undefined,
    include: { case: { select: { number: true, title: true } }, source: { select: { name: true, platform: true } } },
    orderBy: [{ placedAt: "desc" }],
    take: 500,
  });
  const userIds = [...new Set(holds.flatMap((h) => [h.placedById, h.releasedById]).filter((x): x is string => Boolean(x)))];
  const users = new Map(
    (await db().user.findMany({ where: { id: { in: userIds } }, select: { id: true, email: true } })).map((u) => [u.id, u.email]),
  );
  const counts = holds.some((h) => !h.releasedAt) ? await countHeldRawRecords() : new Map<string, number>();
  const views = holds.map<HoldView>((h) => ({
    id: h.id,
    scope: h.caseId
      ? { caseId: h.caseId, caseNumber: h.case?.number ?? null }
      : { sourceId: h.sourceId ?? "", rangeStart: h.rangeStart?.toISOString() ?? null, rangeEnd: h.rangeEnd?.toISOString() ?? null },
    scopeLabel: fmtScope(h),
    reason: h.reason,
    placedBy: users.get(h.placedById) ?? null,
    placedAt: h.placedAt.toISOString(),
    releasedBy: h.releasedById ? (users.get(h.releasedById) ?? null) : null,
    releasedAt: h.releasedAt?.toISOString() ?? null,
    releaseReason: h.releaseReason,
    active: !h.releasedAt,
    heldRecords: h.releasedAt ? null : (counts.get(h.id) ?? 0),
  }));
  return views.sort((a, b) => Number(b.active) - Number(a.active));
}
