import { z } from "zod";
import { pageResult } from "@/lib/list-result";
import { LINEAGE_MAX_DEPTH, lineageHide } from "@/lib/sessions/types";

// The shapes the Cases pages and /api/v1/cases/** read and write. Input schemas live here so that the route
// handlers, the pages (URL search params) and the tests parse the same way; lib functions take what they output
// (z.output), parsed once where the input enters (the route wrapper, a page, a script). Answers are schemas too,
// with their types inferred from them. No server imports: client components import this module.

export const CASE_STATUSES = ["open", "investigating", "pending_review", "closed"] as const;
export const SEVERITIES = ["low", "medium", "high", "critical"] as const;
export const CASE_ITEM_TYPES = ["session", "event", "identity", "finding", "lineage_snapshot"] as const;
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
// An ISO date or date-time; "" or null clears it.
const dueAt = z
  .string()
  .trim()
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
export type CreateCaseInput = z.output<typeof createCaseInput>;

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
export type UpdateCaseInput = z.output<typeof updateCaseInput>;

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
export type AddItemInput = z.output<typeof addItemInput>;

export const annotationInput = z.object({ annotation: z.string().trim().max(5_000).nullable() });
export type AnnotationInput = z.output<typeof annotationInput>;
export const noteInput = z.object({ body: z.string().trim().min(1, "a note cannot be empty").max(20_000) });
export type NoteInput = z.output<typeof noteInput>;
export const taskInput = z.object({
  title: z.string().trim().min(1, "a task needs a title").max(300),
  assigneeId: uuid("user").nullable().optional(),
  dueAt,
});
export type TaskInput = z.output<typeof taskInput>;
export const updateTaskInput = z
  .object({
    title: z.string().trim().min(1, "a task needs a title").max(300).optional(),
    done: z.boolean().optional(),
    assigneeId: uuid("user").nullable().optional(),
    dueAt,
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), { message: "nothing to change", path: ["_"] });
export type UpdateTaskInput = z.output<typeof updateTaskInput>;

export const timelineQuery = z.object({
  evidenceOffset: z.coerce.number().int().min(0).default(0),
  evidenceLimit: z.coerce.number().int().min(1).max(2000).default(2000),
});

const isoTime = z.string();
const count = z.number().int().min(0);

export const userRef = z.object({ id: z.string(), email: z.string(), name: z.string().nullable() });
export type UserRef = z.infer<typeof userRef>;
/** Who made a change: a user (id set), or an actor that is no user row (id null, email its label, e.g. "cli:alice@host"). */
export const actorRef = z.object({ id: z.string().nullable(), email: z.string(), name: z.string().nullable() });
export type ActorRef = z.infer<typeof actorRef>;

export const caseListItem = z.object({
  id: z.string(),
  number: count,
  title: z.string(),
  severity: z.enum(SEVERITIES),
  status: z.enum(CASE_STATUSES),
  assignee: userRef.nullable(),
  tags: z.array(z.string()),
  items: count,
  openTasks: count,
  createdAt: isoTime,
  updatedAt: isoTime,
  closedAt: isoTime.nullable(),
});
export type CaseListItem = z.infer<typeof caseListItem>;
export const casesPage = pageResult(caseListItem);

const caseItemDto = z.object({
  id: z.string(),
  itemType: z.enum(CASE_ITEM_TYPES),
  refId: z.string(),
  annotation: z.string().nullable(),
  addedBy: actorRef.nullable(),
  addedAt: isoTime,
  /** A short description of what is cited, resolved now; `missing` when it no longer exists. */
  title: z.string(),
  detail: z.string(),
  missing: z.boolean(),
  /** Where the cited thing is shown in the app, when it has a page. */
  href: z.string().nullable(),
  /** The time the evidence happened (event time / session start / finding first seen), when it has one. */
  at: isoTime.nullable(),
});
export type CaseItemDto = z.infer<typeof caseItemDto>;

const caseNoteDto = z.object({ id: z.string(), body: z.string(), author: actorRef.nullable(), createdAt: isoTime, updatedAt: isoTime });
export type CaseNoteDto = z.infer<typeof caseNoteDto>;
const caseTaskDto = z.object({
  id: z.string(),
  title: z.string(),
  done: z.boolean(),
  assignee: userRef.nullable(),
  dueAt: isoTime.nullable(),
  createdAt: isoTime,
  completedAt: isoTime.nullable(),
});
export type CaseTaskDto = z.infer<typeof caseTaskDto>;
const caseActivityDto = z.object({
  id: z.string(),
  action: z.string(),
  actor: actorRef.nullable(),
  at: isoTime,
  before: z.unknown(),
  after: z.unknown(),
});

export const caseDetail = caseListItem.omit({ items: true, openTasks: true }).extend({
  description: z.string().nullable(),
  createdBy: actorRef.nullable(),
  allowedTransitions: z.array(z.enum(CASE_STATUSES)),
  items: z.array(caseItemDto),
  notes: z.array(caseNoteDto),
  tasks: z.array(caseTaskDto),
  activity: z.array(caseActivityDto),
  activityTotal: count,
});
export type CaseDetail = z.infer<typeof caseDetail>;

const timelineEntry = z.object({
  lane: z.enum(["evidence", "handling"]),
  at: isoTime,
  /** event id for evidence, case_activity id for handling */
  id: z.string(),
  label: z.string(),
  detail: z.string(),
  href: z.string().nullable(),
});
export type TimelineEntry = z.infer<typeof timelineEntry>;

export const caseTimeline = z.object({
  entries: z.array(timelineEntry),
  evidence: z.object({ total: count, offset: count, limit: count, shown: count }),
  handling: z.object({ total: count, shown: count }),
});
export type CaseTimeline = z.infer<typeof caseTimeline>;

/** What a change to a case (or to one of its notes, tasks) answers: the id, and whether anything changed. */
export const changeResult = z.object({ id: z.string(), changed: z.boolean() });
export type ChangeResult = z.infer<typeof changeResult>;
