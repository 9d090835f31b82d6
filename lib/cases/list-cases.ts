import type { Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/db";
import { userRef } from "./shared";
import type { CaseListItem, CaseSort, CaseStatus, CasesQuery, Severity } from "./types";
import { DEFAULT_TENANT } from "@/lib/context/request-context";

// The cases list: filters (status list, severity, assignee or "none", tag, free text over title, description and
// "#number"), sort, offset pagination with the total. Item and open-task counts come from the same query.

type Input = Partial<CasesQuery>;

const ORDER: Record<CaseSort, (dir: Prisma.SortOrder) => Prisma.CaseOrderByWithRelationInput> = {
  updated: (dir) => ({ updatedAt: dir }),
  created: (dir) => ({ createdAt: dir }),
  number: (dir) => ({ number: dir }),
  title: (dir) => ({ title: dir }),
  // PostgreSQL orders enums by declaration: low < medium < high < critical, open < ... < closed.
  severity: (dir) => ({ severity: dir }),
  status: (dir) => ({ status: dir }),
};

export async function listCases(input: Input = {}): Promise<{ items: CaseListItem[]; total: number; offset: number; limit: number }> {
  const offset = input.offset ?? 0;
  const limit = input.limit ?? 50;
  const dir = input.dir ?? "desc";
  const and: Prisma.CaseWhereInput[] = [{ tenantId: DEFAULT_TENANT }];
  if (input.status?.length) and.push({ status: { in: input.status } });
  if (input.severity) and.push({ severity: input.severity });
  if (input.assignee === "none") and.push({ assigneeId: null });
  else if (input.assignee) and.push({ assigneeId: input.assignee });
  if (input.tag) and.push({ tags: { has: input.tag.toLowerCase() } });
  if (input.q) {
    const num = /^#?(\d{1,9})$/.exec(input.q);
    and.push({
      OR: [
        { title: { contains: input.q, mode: "insensitive" } },
        { description: { contains: input.q, mode: "insensitive" } },
        ...(num ? [{ number: Number(num[1]) }] : []),
      ],
    });
  }
  const where: Prisma.CaseWhereInput = { AND: and };
  const client = db();
  const [rows, total] = await Promise.all([
    client.case.findMany({
      where,
      orderBy: [ORDER[input.sort ?? "updated"](dir), { number: dir }],
      skip: offset,
      take: limit,
      include: {
        assignee: { select: { id: true, email: true, name: true } },
        _count: { select: { items: true, tasks: { where: { done: false } } } },
      },
    }),
    client.case.count({ where }),
  ]);
  return {
    items: rows.map((c) => ({
      id: c.id,
      number: c.number,
      title: c.title,
      severity: c.severity as Severity,
      status: c.status as CaseStatus,
      assignee: userRef(c.assignee),
      tags: c.tags,
      items: c._count.items,
      openTasks: c._count.tasks,
      createdAt: c.createdAt.toISOString(),
      updatedAt: c.updatedAt.toISOString(),
      closedAt: c.closedAt?.toISOString() ?? null,
    })),
    total,
    offset,
    limit,
  };
}
