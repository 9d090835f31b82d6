import { z } from "zod";
import { pageResult } from "@/lib/list-result";
import { CHECK_RULES, CHECK_STATUSES, checksQuery, PRIVILEGED_CATEGORIES, type ChecksPage, type FailingStatus } from "./types";

const isoTime = z.string();
const FAILING_STATUSES = CHECK_STATUSES.filter((s): s is FailingStatus => s !== "ok") as [FailingStatus, ...FailingStatus[]];

const ruleOutcome = z.object({
  rule: z.enum(CHECK_RULES),
  result: z.enum(["pass", "fail", "skip"]),
  status: z.enum(FAILING_STATUSES).nullable(),
  reason: z.string(),
});

const governanceCheckItem = z.object({
  id: z.string(),
  eventId: z.string(),
  time: isoTime,
  platform: z.string(),
  action: z.string(),
  category: z.enum(PRIVILEGED_CATEGORIES),
  actorName: z.string().nullable(),
  targetName: z.string().nullable(),
  identity: z.object({ id: z.string(), name: z.string(), email: z.string().nullable() }).nullable(),
  sessionId: z.string().nullable(),
  approval: z
    .object({
      id: z.string(),
      ticketKey: z.string(),
      system: z.string(),
      state: z.string().nullable(),
      requester: z.string().nullable(),
      approver: z.string().nullable(),
      approvedAt: isoTime.nullable(),
      windowStart: isoTime.nullable(),
      windowEnd: isoTime.nullable(),
    })
    .nullable(),
  approvalRef: z.string().nullable(),
  approved: z.boolean().nullable(),
  grant: z
    .object({
      id: z.string(),
      externalId: z.string(),
      privilege: z.string(),
      platform: z.string(),
      grantedAt: isoTime,
      endsAt: isoTime.nullable(),
    })
    .nullable(),
  insideWindow: z.boolean().nullable(),
  minutesOutside: z.number().nullable(),
  grantBroader: z.boolean().nullable(),
  usedPrivilege: z.string().nullable(),
  policy: z.object({ id: z.string().nullable(), result: z.string(), engine: z.string().nullable() }).nullable(),
  status: z.enum(CHECK_STATUSES),
  statuses: z.array(z.enum(FAILING_STATUSES)),
  reason: z.string(),
  checks: z.array(ruleOutcome),
  reasons: z.array(z.string()),
});

/** GET /api/v1/governance/checks: one page of checks with the total. */
export const checksPage = pageResult(governanceCheckItem);

// ChecksPage (./types) is what listGovernanceChecks returns; this schema must describe exactly that type.
type Answer = z.infer<typeof checksPage>;
const _agrees: [ChecksPage, Answer] extends [Answer, ChecksPage] ? true : never = true;

export const listGovernanceChecksContract = { query: checksQuery, response: checksPage };

// GET /api/v1/governance/checks/export: the list's filters and sort (every matching check, no paging), as CSV.
export const exportGovernanceChecksContract = { query: checksQuery.omit({ offset: true, limit: true }), download: ["text/csv"] } as const;
