import { z } from "zod";
import { PRIVILEGED_CATEGORIES, type PrivilegedCategory } from "@/lib/sources/privileged";

// The shapes of the governance checks (lib/governance/*, GET /api/v1/governance/checks, the /governance page).
// Query schemas live here so that the route handler, the page (URL search params) and the tests parse the same way.

export { PRIVILEGED_CATEGORIES, type PrivilegedCategory } from "@/lib/sources/privileged";
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
 * The statuses of a governance check. Each failing rule of lib/governance/evaluate-check.ts has one; a check holds
 * every failing status (governance_check.statuses) and shows the first of them in this order (governance_check.status):
 *   ok                      every rule passed
 *   identity_unproven       the actor is named only by a name the caller chose (AWS role session name); nothing proves who
 *   ticket_rejected         the ticket was rejected, cancelled, withdrawn or closed incomplete
 *   unapproved              no ticket for this action, or its ticket records no approval (pending)
 *   grant_ticket_invalid    the JIT grant names a ticket that is missing, not approved or not for this action
 *   approval_unscoped       the ticket names no platform with an object or privileged category (free text does not count)
 *   approved_after_action   the action ran before the ticket was approved
 *   approval_not_yet_valid  the action ran before the ticket's planned window opened
 *   approval_expired        the action ran after the planned window, or after the approval's validity
 *   self_approved           the approver is the actor or the requester
 *   approver_unknown        the ticket records no approver, so separation of duties cannot be checked
 *   ticket_overused         the ticket is cited by more actions than the configured maximum
 *   standing_privilege      a grant without an end, or no grant where the platform requires JIT
 *   outside_window          the action ran outside its JIT grant's window (beyond the clock-skew tolerance)
 *   over_broad_grant        the grant is broader than the privilege the action needed
 */
export const CHECK_STATUSES = [
  "ok",
  "identity_unproven",
  "ticket_rejected",
  "unapproved",
  "grant_ticket_invalid",
  "approval_unscoped",
  "approved_after_action",
  "approval_not_yet_valid",
  "approval_expired",
  "self_approved",
  "approver_unknown",
  "ticket_overused",
  "standing_privilege",
  "outside_window",
  "over_broad_grant",
] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];
export type FailingStatus = Exclude<CheckStatus, "ok">;

export const STATUS_LABEL: Record<CheckStatus, string> = {
  ok: "OK",
  identity_unproven: "Identity unproven",
  ticket_rejected: "Ticket rejected or cancelled",
  unapproved: "Unapproved",
  grant_ticket_invalid: "Grant's ticket invalid",
  approval_unscoped: "Ticket unscoped",
  approved_after_action: "Approved after the action",
  approval_not_yet_valid: "Before the approved window",
  approval_expired: "Approval expired",
  self_approved: "Self-approved",
  approver_unknown: "Approver not recorded",
  ticket_overused: "Ticket overused",
  standing_privilege: "Standing privilege",
  outside_window: "Outside grant window",
  over_broad_grant: "Grant broader than used",
};

/** Statuses that say the action had no valid approval (the privileged-without-approval finding). */
export const APPROVAL_FAILURES: readonly FailingStatus[] = CHECK_STATUSES.filter(
  (s): s is FailingStatus =>
    // Not about the approval: ok, thin evidence (approver_unknown) and the JIT rules.
    !["ok", "approver_unknown", "standing_privilege", "outside_window", "over_broad_grant"].includes(s),
);

/** The named rules each check evaluates, in order. */
export const CHECK_RULES = [
  "identity",
  "ticket",
  "grant_ticket",
  "scope",
  "approval_time",
  "approval_validity",
  "separation_of_duties",
  "ticket_uses",
  "jit",
  "grant_breadth",
] as const;
export type CheckRule = (typeof CHECK_RULES)[number];

export const RULE_LABEL: Record<CheckRule, string> = {
  identity: "Identity proven",
  ticket: "Ticket approved",
  grant_ticket: "Grant's ticket",
  scope: "Ticket scope",
  approval_time: "Approved before the action",
  approval_validity: "Approval still valid",
  separation_of_duties: "Separation of duties",
  ticket_uses: "Ticket uses",
  jit: "JIT grant window",
  grant_breadth: "Grant breadth",
};

/** One rule's outcome on one action: passed, failed (with its status) or not applicable, and why in plain words. */
export type RuleOutcome = { rule: CheckRule; result: "pass" | "fail" | "skip"; status: FailingStatus | null; reason: string };

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

/**
 * GET /api/v1/governance/checks, its CSV export and the /governance page's URL. `status=problem` means any status
 * but ok; a failing status matches every check that fails that rule (not only those showing it first).
 */
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
    /** The ticket's state as recorded (approved, rejected, Canceled, requested, …). */
    state: string | null;
    requester: string | null;
    approver: string | null;
    approvedAt: string | null;
    windowStart: string | null;
    windowEnd: string | null;
  } | null;
  /** The ticket key the check cites: its approval's, or the one its grant names when that ticket is not in the feeds. */
  approvalRef: string | null;
  approved: boolean | null;
  /** externalId: the grant's own id in its feed (grant_id, PIM request id). */
  grant: { id: string; externalId: string; privilege: string; platform: string; grantedAt: string; endsAt: string | null } | null;
  insideWindow: boolean | null;
  minutesOutside: number | null;
  grantBroader: boolean | null;
  usedPrivilege: string | null;
  policy: { id: string | null; result: string; engine: string | null } | null;
  /** The first failing status (see CHECK_STATUSES), or ok. */
  status: CheckStatus;
  /** Every failing status, in CHECK_STATUSES order (empty when ok). */
  statuses: FailingStatus[];
  /** The reason of the shown status in plain words (for ok: that every rule passed, and how). */
  reason: string;
  /** Every rule's outcome. */
  checks: RuleOutcome[];
  /** Context lines: the catalog's classification, the policy decision at request time. */
  reasons: string[];
};

export type ChecksPage = { items: GovernanceCheckItem[]; total: number; offset: number; limit: number };

export type ChecksSummary = {
  total: number;
  /** ok: the checks that passed; a failing status: the checks failing that rule (a check can count under several). */
  byStatus: Record<CheckStatus, number>;
  /** Checks whose JIT grant is broader than the action needed. */
  broader: number;
  /** One row per category present: counts per shown status (each check once), for the stacked bar chart. */
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
