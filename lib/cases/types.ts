import { z } from "zod";
import { LINEAGE_MAX_DEPTH, lineageHide } from "@/lib/sessions/types";

// The shapes the Cases pages and /api/v1/cases/** read and write. Input schemas live here so that the route
// handlers, the pages (URL search params) and the tests parse the same way.

export const CASE_STATUSES = ["open", "investigating", "pending_review", "closed"] as const;
export const SEVERITIES = ["low", "medium", "high", "critical"] as const;
const CASE_ITEM_TYPES = ["session", "event", "identity", "finding", "lineage_snapshot"] as const;
const CASE_SORTS = ["updated", "created", "number", "title", "severity", "status"] as const;

export type CaseStatus = (typeof CASE_STATUSES)[number];
export type Severity = (typeof SEVERITIES)[number];
export type CaseItemType = (typeof CASE_ITEM_TYPES)[number];
export type CaseSort = (typeof CASE_SORTS)[number];

export const STATUS_LABEL: Record<CaseStatus, string> = {
  open: "Open",
  investigating: "Investigating",
  pending_review: "Pending review",
  closed: "Closed",
};

// The workflow: open -> investigating -> pending review -> closed; a reviewer may send a case back to
// investigating; a closed case reopens to investigating (or open).
export const TRANSITIONS: Record<CaseStatus, CaseStatus[]> = {
  open: ["investigating"],
  investigating: ["pending_review"],
  pending_review: ["closed", "investigating"],
  closed: ["investigating", "open"],
};

const optText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((v) => (v ? v : undefined));
const uuid = (what: string) => z.guid({ message: `not a ${what} id` });
const tags = z
  .array(z.string().trim().min(1, "a tag cannot be empty").max(40, "a tag is at most 40 characters"))
  .max(20, "at most 20 tags")
  .transform((t) => [...new Set(t.map((x) => x.toLowerCase()))]);
// A date the route already parsed passes again unchanged: lib functions re-check what every caller sends.
const dueAt = z
  .union([z.date(), z.string().trim()])
  .nullable()
  .optional()
  .transform((v, ctx) => {
    if (v === undefined) return undefined;
    if (v === null || v === "") return null;
    const d = new Date(v);
    if (Number.isNaN(d.getTime())) {
      ctx.addIssue({ code: "custom", message: "not a date (use ISO 8601, e.g. 2026-12-01)" });
      return z.NEVER;
    }
    return d;
  });

/** GET /api/v1/cases and the Cases page's URL. `status` may list several, comma-separated. */
export const casesQuery = z.object({
  status: z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (!v) return undefined;
      const list = v
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean);
      for (const s of list) {
        if (!(CASE_STATUSES as readonly string[]).includes(s)) {
          ctx.addIssue({ code: "custom", message: `unknown status "${s}" (use ${CASE_STATUSES.join(", ")})` });
          return z.NEVER;
        }
      }
      return list as CaseStatus[];
    }),
  severity: z
    .enum(SEVERITIES)
    .optional()
    .or(z.literal("").transform(() => undefined)),
  /** a user id, or "none" for unassigned cases */
  assignee: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : undefined))
    .pipe(z.union([z.literal("none"), uuid("user")]).optional()),
  tag: optText(40),
  q: optText(200),
  sort: z.enum(CASE_SORTS).default("updated"),
  dir: z.enum(["asc", "desc"]).default("desc"),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type CasesQuery = z.infer<typeof casesQuery>;

export const createCaseInput = z.object({
  title: z.string().trim().min(1, "give the case a title").max(200),
  description: optText(20_000),
  severity: z.enum(SEVERITIES).default("medium"),
  assigneeId: uuid("user").nullable().optional(),
  tags: tags.optional(),
});
export type CreateCaseInput = z.input<typeof createCaseInput>;

export const updateCaseInput = z
  .object({
    title: z.string().trim().min(1, "a case needs a title").max(200).optional(),
    description: z.string().trim().max(20_000).nullable().optional(),
    severity: z.enum(SEVERITIES).optional(),
    status: z.enum(CASE_STATUSES).optional(),
    assigneeId: uuid("user").nullable().optional(),
    tags: tags.optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), { message: "nothing to change", path: ["_"] });
export type UpdateCaseInput = z.input<typeof updateCaseInput>;

// The graph as the analyst had it on the Lineage page: root, depth, node limit and the node types filtered out
// (lib/sessions/get-lineage.ts takes the same parameters, lineageQuery parses them the same way).
export const lineageSnapshotSpec = z.object({
  root: z.object({ type: z.enum(["identity", "credential"]), id: uuid("lineage root") }),
  depth: z.coerce.number().int().min(1).max(LINEAGE_MAX_DEPTH).default(12),
  limit: z.coerce.number().int().min(1).max(5000).default(2000),
  hide: lineageHide,
});

export const addItemInput = z.object({
  itemType: z.enum(CASE_ITEM_TYPES),
  refId: z.string().trim().min(1, "say which item to add").max(200),
  /** lineage_snapshot only: which graph (root, depth, limit); the server rebuilds it, it never stores a client's graph. */
  snapshot: z.record(z.string(), z.unknown()).optional(),
  annotation: optText(5_000),
});
export type AddItemInput = z.input<typeof addItemInput>;

export const annotationInput = z.object({ annotation: z.string().trim().max(5_000).nullable() });
export const noteInput = z.object({ body: z.string().trim().min(1, "a note cannot be empty").max(20_000) });
export const taskInput = z.object({
  title: z.string().trim().min(1, "a task needs a title").max(300),
  assigneeId: uuid("user").nullable().optional(),
  dueAt,
});
export const updateTaskInput = z
  .object({
    title: z.string().trim().min(1, "a task needs a title").max(300).optional(),
    done: z.boolean().optional(),
    assigneeId: uuid("user").nullable().optional(),
    dueAt,
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), { message: "nothing to change", path: ["_"] });

export const timelineQuery = z.object({
  evidenceOffset: z.coerce.number().int().min(0).default(0),
  evidenceLimit: z.coerce.number().int().min(1).max(2000).default(2000),
});

export type UserRef = { id: string; email: string; name: string | null };

export type CaseListItem = {
  id: string;
  number: number;
  title: string;
  severity: Severity;
  status: CaseStatus;
  assignee: UserRef | null;
  tags: string[];
  items: number;
  openTasks: number;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
};

export type CaseItemDto = {
  id: string;
  itemType: CaseItemType;
  refId: string;
  annotation: string | null;
  addedBy: UserRef | null;
  addedAt: string;
  /** A short description of what is cited, resolved now; `missing` when it no longer exists. */
  title: string;
  detail: string;
  missing: boolean;
  /** Where the cited thing is shown in the app, when it has a page. */
  href: string | null;
  /** The time the evidence happened (event time / session start / finding first seen), when it has one. */
  at: string | null;
};

export type CaseNoteDto = { id: string; body: string; author: UserRef | null; createdAt: string; updatedAt: string };
export type CaseTaskDto = {
  id: string;
  title: string;
  done: boolean;
  assignee: UserRef | null;
  dueAt: string | null;
  createdAt: string;
  completedAt: string | null;
};
type CaseActivityDto = { id: string; action: string; actor: UserRef | null; at: string; before: unknown; after: unknown };

export type CaseDetail = Omit<CaseListItem, "items" | "openTasks"> & {
  description: string | null;
  createdBy: UserRef | null;
  allowedTransitions: CaseStatus[];
  items: CaseItemDto[];
  notes: CaseNoteDto[];
  tasks: CaseTaskDto[];
  activity: CaseActivityDto[];
  activityTotal: number;
};

export type TimelineEntry = {
  lane: "evidence" | "handling";
  at: string;
  /** event id for evidence, case_activity id for handling */
  id: string;
  label: string;
  detail: string;
  href: string | null;
};

export type CaseTimeline = {
  entries: TimelineEntry[];
  evidence: { total: number; offset: number; limit: number; shown: number };
  handling: { total: number; shown: number };
};
