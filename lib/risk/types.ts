import { z } from "zod";
import { pageResult } from "@/lib/list-result";
import { RISK_RULES } from "./catalog";
import { DISPOSITIONS } from "./disposition";

// Inputs and outputs of the findings queries, shared by the API routes, the pages and the client (no server
// imports here). Answers are schemas, with their types inferred from them; lib functions take what the input
// schemas output, parsed once where the input enters.

export const FINDING_SORTS = ["severity", "lastSeen", "firstSeen", "rule", "status"] as const;

const ruleIds = RISK_RULES.map((r) => r.id) as [string, ...string[]];
const blankToUndefined = (v: unknown) => (v === "" || v === null ? undefined : v);

export const findingsQuery = z.object({
  rule: z.preprocess(blankToUndefined, z.enum(ruleIds).optional()),
  severity: z.preprocess(blankToUndefined, z.enum(["low", "medium", "high", "critical"]).optional()),
  status: z.preprocess(blankToUndefined, z.enum(["dismissed", ...DISPOSITIONS]).optional()),
  platform: z.preprocess(blankToUndefined, z.string().max(100).optional()),
  identity: z.preprocess(blankToUndefined, z.string().uuid().optional()),
  session: z.preprocess(blankToUndefined, z.string().uuid().optional()),
  sort: z.preprocess(blankToUndefined, z.enum(FINDING_SORTS).default("severity")),
  dir: z.preprocess(blankToUndefined, z.enum(["asc", "desc"]).default("desc")),
  limit: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(500).default(50)),
  offset: z.preprocess(blankToUndefined, z.coerce.number().int().min(0).default(0)),
});
export type FindingsQuery = z.output<typeof findingsQuery>;

const reason = z.string().trim().min(5, "Give a reason of at least 5 characters.").max(2000);
export const findingReasonInput = z.object({ reason });
export type FindingReasonInput = z.output<typeof findingReasonInput>;

/** The longest a risk acceptance may run before it must be reviewed again. */
export const MAX_RISK_ACCEPTANCE_DAYS = 366;

// The occurrences a dismissal covers (event ids of the finding); absent: every occurrence the finding names now.
const eventIds = z
  .array(z.coerce.bigint({ message: "Event ids are whole numbers." }).transform(String))
  .max(200)
  .optional();

export const dismissFindingInput = z.discriminatedUnion(
  "type",
  [
    z.object({ type: z.literal("false_positive"), reason, eventIds }),
    z.object({
      type: z.literal("risk_accepted"),
      reason,
      expiresAt: z.coerce.date({ message: "Give the date the risk acceptance expires (YYYY-MM-DD)." }),
      eventIds,
    }),
  ],
  { error: "Choose the kind of dismissal: false_positive (with a reason) or risk_accepted (with a reason and an expiry date)." },
);
export type DismissFindingInput = z.output<typeof dismissFindingInput>;

const isoTime = z.string();
const count = z.number().int().min(0);
const DISMISSAL_TYPES = ["false_positive", "risk_accepted"] as const;

export const findingRow = z.object({
  id: z.string(),
  ruleId: z.string(),
  ruleTitle: z.string(),
  severity: z.string(),
  title: z.string(),
  status: z.enum(["open", "dismissed"]),
  /** What the finding stands for now (lib/risk/disposition.ts): open, an exception, a false positive ... */
  disposition: z.enum(DISPOSITIONS),
  dismissalType: z.enum(DISMISSAL_TYPES).nullable(),
  /** A risk acceptance's expiry. */
  riskExpiresAt: isoTime.nullable(),
  /** Set when the rule no longer produces this finding (see run-risk-rules.ts). */
  resolvedAt: isoTime.nullable(),
  identity: z.object({ id: z.string(), name: z.string(), kind: z.string() }).nullable(),
  sessionId: z.string().nullable(),
  platform: z.string().nullable(),
  eventCount: count,
  firstSeenAt: isoTime,
  lastSeenAt: isoTime,
});
export type FindingRow = z.infer<typeof findingRow>;

const findingEvent = z.object({
  id: z.string(),
  time: isoTime,
  platform: z.string(),
  activity: z.string(),
  /** The platform's own event name (CloudTrail eventName, Okta eventType...). */
  eventName: z.string().nullable(),
  status: z.string().nullable(),
  actorName: z.string().nullable(),
  srcIp: z.string().nullable(),
  targetName: z.string().nullable(),
  privileged: z.boolean(),
  sessionId: z.string().nullable(),
});

const findingActivityRow = z.object({ action: z.string(), reason: z.string().nullable(), at: isoTime, actorEmail: z.string().nullable() });

export const findingDetail = findingRow.extend({
  evidence: z.record(z.string(), z.unknown()),
  dismissedReason: z.string().nullable(),
  dismissedAt: isoTime.nullable(),
  dismissedBy: z.string().nullable(),
  /** The occurrences (event ids) the dismissal covers. */
  dismissedEventIds: z.array(z.string()),
  riskApprovedBy: z.string().nullable(),
  riskApprovedAt: isoTime.nullable(),
  events: z.array(findingEvent),
  history: z.array(findingActivityRow),
});
export type FindingDetail = z.infer<typeof findingDetail>;

const severityCount = z.object({ severity: z.string(), open: count, dismissed: count });
export type SeverityCount = z.infer<typeof severityCount>;

/** GET /api/v1/findings: one page of findings, and the counts per severity of the same filter (for the chart). */
export const findingsPage = pageResult(findingRow).extend({ bySeverity: z.array(severityCount) });
export type FindingsPage = z.infer<typeof findingsPage>;

/** What dismissing answers: the finding is dismissed, as which kind. */
export const findingDismissed = z.object({ id: z.string(), status: z.literal("dismissed"), dismissalType: z.enum(DISMISSAL_TYPES) });
/** What approving a risk acceptance answers: until when the exception runs. */
export const riskAcceptanceApproved = findingDismissed.extend({ dismissalType: z.literal("risk_accepted"), riskExpiresAt: isoTime });
/** What reopening answers. */
export const findingReopened = z.object({ id: z.string(), status: z.literal("open") });

/** A risk acceptance in force: listed as an exception with its expiry, never counted as evidence. */
export type FindingException = {
  id: string;
  ruleId: string;
  title: string;
  severity: string;
  reason: string;
  acceptedBy: string | null;
  approvedBy: string | null;
  approvedAt: string;
  expiresAt: string;
};
