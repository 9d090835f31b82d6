import { db } from "@/lib/db";
import { describeItems, itemKey } from "./describe-items";
import { actorRef, UUID, userRef } from "./shared";
import { TRANSITIONS, type CaseDetail, type CaseItemType, type CaseStatus, type Severity } from "./types";
import { DEFAULT_TENANT } from "@/lib/context/request-context";

const ACTIVITY_SHOWN = 1000;
const USER = { select: { id: true, email: true, name: true } } as const;

// One case with everything the case page shows: items (each resolved to a short description of what it cites),
// notes, tasks, the newest history entries, and the status moves allowed from here. Null when not found.
export async function getCase({ id }: { id: string }): Promise<CaseDetail | null> {
  if (!UUID.test(id)) return null;
  const c = await db().case.findFirst({
    where: { id, tenantId: DEFAULT_TENANT },
    include: {
      assignee: USER,
      createdBy: USER,
      items: { orderBy: { addedAt: "asc" } },
      notes: { orderBy: { createdAt: "asc" }, include: { author: USER } },
      tasks: { orderBy: [{ done: "asc" }, { createdAt: "asc" }] },
      activity: { orderBy: [{ at: "desc" }, { id: "desc" }], take: ACTIVITY_SHOWN, include: { actor: USER } },
      _count: { select: { activity: true } },
    },
  });
  if (!c) return null;
  const userIds = [
    ...new Set([
      ...c.items.map((i) => i.addedById).filter((x): x is string => Boolean(x)),
      ...c.tasks.map((t) => t.assigneeId).filter((x): x is string => Boolean(x)),
    ]),
  ];
  const [described, users] = await Promise.all([
    describeItems({ refs: c.items.map((i) => ({ itemType: i.itemType, refId: i.refId, snapshot: i.snapshot })) }),
    userIds.length ? db().user.findMany({ where: { id: { in: userIds } }, ...USER }) : Promise.resolve([]),
  ]);
  const byId = new Map(users.map((u) => [u.id, u]));
  return {
    id: c.id,
    number: c.number,
    title: c.title,
    description: c.description,
    severity: c.severity as Severity,
    status: c.status as CaseStatus,
    assignee: userRef(c.assignee),
    createdBy: actorRef(c.createdBy, c.createdByLabel),
    tags: c.tags,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
    closedAt: c.closedAt?.toISOString() ?? null,
    allowedTransitions: TRANSITIONS[c.status as CaseStatus],
    items: c.items.map((i) => {
      const d = described.get(itemKey(i.itemType, i.refId))!;
      // A cited thing that is gone still shows what it was when it was cited.
      const cited = (i.snapshot as { cited?: { title?: string; detail?: string; at?: string | null } } | null)?.cited;
      return {
        id: i.id,
        itemType: i.itemType as CaseItemType,
        refId: i.refId,
        annotation: i.annotation,
        addedBy: actorRef(i.addedById ? byId.get(i.addedById) : null, i.addedByLabel),
        addedAt: i.addedAt.toISOString(),
        title: d.missing && cited?.title ? cited.title : d.title,
        detail: d.missing && cited?.detail ? `${cited.detail} · ${d.detail}` : d.detail,
        missing: d.missing,
        href: d.href,
        at: d.at ?? cited?.at ?? null,
      };
    }),
    notes: c.notes.map((n) => ({
      id: n.id,
      body: n.body,
      author: actorRef(n.author, n.authorLabel),
      createdAt: n.createdAt.toISOString(),
      updatedAt: n.updatedAt.toISOString(),
    })),
    tasks: c.tasks.map((t) => ({
      id: t.id,
      title: t.title,
      done: t.done,
      assignee: userRef(t.assigneeId ? byId.get(t.assigneeId) : null),
      dueAt: t.dueAt?.toISOString() ?? null,
      createdAt: t.createdAt.toISOString(),
      completedAt: t.completedAt?.toISOString() ?? null,
    })),
    activity: c.activity.map((a) => ({
      id: a.id.toString(),
      action: a.action,
      actor: actorRef(a.actor, a.actorLabel),
      at: a.at.toISOString(),
      before: a.before,
      after: a.after,
    })),
    activityTotal: c._count.activity,
  };
}
