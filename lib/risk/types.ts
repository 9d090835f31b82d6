import { z } from "zod";
import { RISK_RULES } from "./catalog";
import { DISPOSITIONS, type Disposition } from "./disposition";

// Inputs and outputs of the findings queries, shared by the API routes and the pages.

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
export type FindingsQuery = z.input<typeof findingsQuery>;

const reason = z.string().trim().min(5, "Give a reason of at least 5 characters.").max(2000);
export const findingReasonInput = z.object({ reason });

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
export type DismissFindingInput = z.input<typeof dismissFindingInput>;

type FindingStatus = "open" | "dismissed";

export type FindingRow = {
  id: string;
  ruleId: string;
  ruleTitle: string;
  severity: string;
  title: string;
  status: FindingStatus;
  /** What the finding stands for now (lib/risk/disposition.ts): open, an exception, a false positive ... */
  disposition: Disposition;
  dismissalType: "false_positive" | "risk_accepted" | null;
  /** A risk acceptance's expiry. */
  riskExpiresAt: string | null;
  /** Set when the rule no longer produces this finding (see run-risk-rules.ts). */
  resolvedAt: string | null;
  identity: { id: string; name: string; kind: string } | null;
  sessionId: string | null;
  platform: string | null;
  eventCount: number;
  firstSeenAt: string;
  lastSeenAt: string;
};

type FindingEvent = {
  id: string;
  time: string;
  platform: string;
  activity: string;
  /** The platform's own event name (CloudTrail eventName, Okta eventType...). */
  eventName: string | null;
  status: string | null;
  actorName: string | null;
  srcIp: string | null;
  targetName: string | null;
  privileged: boolean;
  sessionId: string | null;
};

type FindingActivityRow = { action: string; reason: string | null; at: string; actorEmail: string | null };

export type FindingDetail = FindingRow & {
  evidence: Record<string, unknown>;
  dismissedReason: string | null;
  dismissedAt: string | null;
  dismissedBy: string | null;
  /** The occurrences (event ids) the dismissal covers. */
  dismissedEventIds: string[];
  riskApprovedBy: string | null;
  riskApprovedAt: string | null;
  events: FindingEvent[];
  history: FindingActivityRow[];
};

export type SeverityCount = { severity: string; open: number; dismissed: number };

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
