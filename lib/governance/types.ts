import { z } from "zod";

// The shapes of the governance checks (lib/governance/*, GET /api/v1/governance/checks, the /governance page).
// Query schemas live here so that the route handler, the page (URL search params) and the tests parse the same way.

export const PRIVILEGED_CATEGORIES = [
  "admin_role_change",
  "permission_change",
  "policy_change",
  "data_export",
  "credential_creation",
  "app_consent",
  "config_change",
] as const;
export type PrivilegedCategory = (typeof PRIVILEGED_CATEGORIES)[number];

export const CATEGORY_LABEL: Record<PrivilegedCategory, string> = {
  admin_role_change: "Admin role change",
  permission_change: "Permission change",
  policy_change: "Policy change",
  data_export: "Data export",
  credential_creation: "Credential creation",
  app_consent: "App consent",
  config_change: "Configuration change",
};

/**
 * A check's status, from the approval and the JIT grant (governance_check.status):
 *   ok                         an approved ticket covers the action and it ran inside a JIT grant's window
 *   unapproved                 inside a grant, but no approved ticket covers it
 *   outside_window             approved, but the action ran outside the grant's window (minutesOutside > 0)
 *   no_grant                   approved, but no JIT grant for the actor on that platform was found
 *   unapproved_outside_window  neither approved nor inside the grant's window
 *   unapproved_no_grant        neither approved nor covered by any JIT grant
 */
export const CHECK_STATUSES = [
  "ok",
  "unapproved",
  "outside_window",
  "no_grant",
  "unapproved_outside_window",
  "unapproved_no_grant",
] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];

export const STATUS_LABEL: Record<CheckStatus, string> = {
  ok: "OK",
  unapproved: "Unapproved",
  outside_window: "Outside grant window",
  no_grant: "No JIT grant",
  unapproved_outside_window: "Unapproved, outside grant window",
  unapproved_no_grant: "Unapproved, no JIT grant",
};

const CHECK_SORTS = ["time", "platform", "category", "status", "actor", "minutes"] as const;
export type CheckSort = (typeof CHECK_SORTS)[number];

const optText = z
  .string()
  .trim()
  .max(200)
  .optional()
  .transform((v) => (v ? v : undefined));
const optDate = z
  .string()
  .trim()
  .optional()
  .transform((v, ctx) => {
    if (!v) return undefined;
    const d = new Date(v);
    if (Number.isNaN(d.getTime())) {
      ctx.addIssue({ code: "custom", message: "not a date (use ISO 8601, e.g. 2025-03-04 or 2025-03-04T13:15:00Z)" });
      return z.NEVER;
    }
    return d;
  });
/** A range end: a bare date (2025-03-04, what a date input sends) includes that whole day (UTC). */
const optEndDate = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v && /^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T23:59:59.999Z` : v))
  .pipe(optDate);
const optUuid = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v : undefined))
  .pipe(z.guid({ message: "not an id" }).optional());
const optEnum = <T extends readonly [string, ...string[]]>(values: T, what: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : undefined))
    .pipe(z.enum(values, { message: `not a ${what} (one of ${values.join(", ")})` }).optional());

/** GET /api/v1/governance/checks and the /governance page's URL. `status=problem` means any status but ok. */
export const checksQuery = z.object({
  status: optText.pipe(
    z
      .union([z.enum(CHECK_STATUSES), z.literal("problem")], { message: `not a status (problem or one of ${CHECK_STATUSES.join(", ")})` })
      .optional(),
  ),
  platform: optText,
  category: optEnum(PRIVILEGED_CATEGORIES, "category"),
  identityId: optUuid,
  sessionId: optUuid,
  from: optDate,
  to: optEndDate,
  sort: z.enum(CHECK_SORTS).default("time"),
  dir: z.enum(["asc", "desc"]).default("desc"),
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type ChecksQuery = z.infer<typeof checksQuery>;

export type GovernanceCheckItem = {
  id: string;
  eventId: string;
  time: string;
  platform: string;
  action: string;
  category: PrivilegedCategory;
  actorName: string | null;
  targetName: string | null;
  identity: { id: string; name: string; email: string | null } | null;
  sessionId: string | null;
  approval: {
    id: string;
    ticketKey: string;
    system: string;
    approver: string | null;
    windowStart: string | null;
    windowEnd: string | null;
  } | null;
  approved: boolean | null;
  grant: { id: string; privilege: string; platform: string; grantedAt: string; endsAt: string | null } | null;
  insideWindow: boolean | null;
  minutesOutside: number | null;
  grantBroader: boolean | null;
  usedPrivilege: string | null;
  policy: { id: string | null; result: string; engine: string | null } | null;
  status: CheckStatus;
  reasons: string[];
};

export type ChecksPage = { items: GovernanceCheckItem[]; total: number; offset: number; limit: number };

export type ChecksSummary = {
  total: number;
  byStatus: Record<CheckStatus, number>;
  /** Checks whose JIT grant is broader than the action needed. */
  broader: number;
  /** One row per category present: counts per status, for the stacked bar chart. */
  byCategory: ({ category: PrivilegedCategory } & Record<CheckStatus, number>)[];
  platforms: string[];
  /** approvals, grants and policy decisions stored: tells the empty state what is missing. */
  feeds: { approvals: number; grants: number; decisions: number; checked: number };
};

export type GovernanceRunCounts = {
  checks: number;
  byStatus: Record<CheckStatus, number>;
  approved: number;
  insideWindow: number;
  outsideWindow: number;
  grantBroader: number;
  withPolicy: number;
};
