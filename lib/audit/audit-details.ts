import { z } from "zod";

// The payload of an audit entry: a union keyed on `type`, so that every kind of entry has a known shape.
export const auditDetails = z.discriminatedUnion("type", [
  z.object({ type: z.literal("auth.sign_in"), provider: z.string() }),
  z.object({ type: z.literal("auth.sign_in_failed"), provider: z.string(), email: z.string(), reason: z.string() }),
  z.object({ type: z.literal("auth.sign_out") }),
  z.object({
    type: z.literal("user.created"),
    email: z.string(),
    role: z.string(),
    provider: z.string(),
  }),
  z.object({ type: z.literal("api_token.created"), name: z.string(), prefix: z.string(), source: z.string() }),
  z.object({ type: z.literal("api_token.revoked"), name: z.string(), prefix: z.string() }),
  // A grant mapping declared or replaced (lib/ingest/grant-mappings.ts): the whole definition, as saved.
  z.object({
    type: z.literal("grant_mapping.saved"),
    name: z.string(),
    replaced: z.boolean(),
    definition: z.record(z.string(), z.unknown()),
  }),
  z.object({
    type: z.literal("ingest.batch"),
    batchId: z.string(),
    fileName: z.string(),
    via: z.string(),
    read: z.number(),
    stored: z.number(),
    duplicate: z.number(),
    quarantined: z.number(),
    /** Records holding no event (digest files, empty pages), neither stored nor quarantined. */
    skipped: z.number().optional(),
    /** Set when found at start-up left "running" by a process that stopped (lib/ingest/interrupted-batches.ts). */
    interrupted: z.boolean().optional(),
    /** Set when the file was refused before any record was read (no source recognised its format). */
    refused: z.string().optional(),
    fileSha256: z.string().nullable().optional(),
    /** The declared grant mapping the file was read with (lib/ingest/grant-mappings.ts). */
    grantMapping: z.string().optional(),
  }),
  z.object({ type: z.literal("ingest.reprocess"), count: z.number(), resolved: z.number() }),
  // A correlation run (lib/correlation/run-correlation.ts): full or incremental, what it read and wrote. The
  // actor is the user who asked, or "system" for the background run after an ingest.
  z.object({
    type: z.literal("correlation.run"),
    mode: z.enum(["full", "incremental"]),
    requested: z.enum(["full", "incremental"]),
    fallbackReason: z.string().nullable(),
    newEvents: z.number(),
    eventsLoaded: z.number(),
    totalEvents: z.number(),
    identities: z.number(),
    credentials: z.number(),
    sessions: z.number(),
    links: z.number(),
    durationMs: z.number(),
  }),
  // Any change to a case (lib/cases/case-activity.ts): the same action and before/after as its case_activity row.
  z.object({
    type: z.literal("case.changed"),
    caseId: z.string(),
    action: z.string(),
    before: z.unknown().optional(),
    after: z.unknown().optional(),
  }),
  // An evidence package downloaded (lib/export): what it held, so the audit trail alone shows what left the system.
  z.object({
    type: z.literal("case.exported"),
    caseId: z.string(),
    caseNumber: z.number(),
    status: z.enum(["completed", "failed"]),
    files: z.number().optional(),
    events: z.number().optional(),
    rawRecords: z.number().optional(),
    treeSize: z.number().optional(),
    manifestSha256: z.string().optional(),
    error: z.string().optional(),
  }),
  // The ledger signing key was rotated (`ledger rotate-key`, lib/ledger/ledger-keys.ts): old and new key, and the last
  // checkpoint the old key signs.
  z.object({
    type: z.literal("ledger.key_rotated"),
    fromFingerprint: z.string(),
    toFingerprint: z.string(),
    afterCheckpoint: z.number(),
  }),
  // The case report downloaded on its own (lib/export/report/get-case-report.ts): its format and the checkpoint's size.
  z.object({
    type: z.literal("case.report"),
    caseId: z.string(),
    caseNumber: z.number(),
    format: z.enum(["html", "pdf"]),
    bytes: z.number(),
    treeSize: z.number(),
  }),
  // A setting changed (lib/coverage/set-required-retention.ts, ...): the key and its value before and after.
  z.object({ type: z.literal("settings.changed"), key: z.string(), before: z.unknown(), after: z.unknown() }),
  // Every view of a session, identity or case (lib/audit/record-view.ts): who looked at what is evidence too.
  z.object({ type: z.literal("view.session"), id: z.string() }),
  z.object({ type: z.literal("view.identity"), id: z.string() }),
  z.object({ type: z.literal("view.case"), id: z.string() }),
  z.object({ type: z.literal("view.raw_record"), id: z.string() }),
  // Legal holds (lib/retention): the scope is a case or a source and time range; the reason is required.
  z.object({
    type: z.literal("hold.placed"),
    holdId: z.string(),
    scope: z.record(z.string(), z.unknown()),
    reason: z.string(),
  }),
  z.object({
    type: z.literal("hold.released"),
    holdId: z.string(),
    scope: z.record(z.string(), z.unknown()),
    reason: z.string(),
  }),
  // Retention policy per source in days (null: kept forever).
  z.object({
    type: z.literal("retention.policy_changed"),
    sourceId: z.string(),
    before: z.number().nullable(),
    after: z.number().nullable(),
  }),
  // A purge run (lib/retention/purge-expired.ts): as of when, under which policy per source (the policy row and its
  // last change; entries before these fields existed lack them), how many payloads were cleared and how many were
  // kept for a hold.
  z.object({
    type: z.literal("retention.purged"),
    jobId: z.string(),
    asOf: z.string().optional(),
    purged: z.number(),
    held: z.number(),
    sources: z.array(
      z.object({
        sourceId: z.string(),
        policyId: z.string().optional(),
        policyUpdatedAt: z.string().optional(),
        policyUpdatedById: z.string().nullable().optional(),
        days: z.number(),
        cutoff: z.string(),
        purged: z.number(),
        held: z.number(),
      }),
    ),
  }),
  // The audit trail itself exported (GET /api/v1/audit/export): the filters and how many entries left the system.
  z.object({
    type: z.literal("audit.exported"),
    format: z.enum(["csv", "ndjson"]),
    count: z.number(),
    filters: z.record(z.string(), z.unknown()).optional(),
  }),
  // The governance checks exported (GET /api/v1/governance/checks/export): the filters and how many checks.
  z.object({
    type: z.literal("governance.exported"),
    format: z.literal("csv"),
    count: z.number(),
    filters: z.record(z.string(), z.unknown()).optional(),
  }),
  // A risk finding dismissed or reopened (lib/risk/dismiss-finding.ts): the reason is required and kept.
  // The kind of dismissal (a false positive leaves the population; a risk acceptance has an expiry and needs another
  // person's approval) and the occurrences (event ids) it covers; entries written before dismissal types have neither.
  z.object({
    type: z.literal("finding.dismissed"),
    findingId: z.string(),
    ruleId: z.string(),
    reason: z.string(),
    dismissalType: z.enum(["false_positive", "risk_accepted"]).optional(),
    expiresAt: z.string().nullable().optional(),
    eventIds: z.array(z.string()).optional(),
  }),
  z.object({
    type: z.literal("finding.risk_approved"),
    findingId: z.string(),
    ruleId: z.string(),
    reason: z.string(),
    expiresAt: z.string(),
  }),
  z.object({ type: z.literal("finding.reopened"), findingId: z.string(), ruleId: z.string(), reason: z.string() }),
  // A control scoped out of the assessment ("not applicable") or back in (lib/compliance/scope-control.ts).
  z.object({ type: z.literal("control.scoped_out"), framework: z.string(), controlId: z.string(), reason: z.string() }),
  z.object({ type: z.literal("control.scoped_in"), framework: z.string(), controlId: z.string(), reason: z.string() }),
  z.object({
    type: z.literal("user.updated"),
    before: z.record(z.string(), z.unknown()),
    after: z.record(z.string(), z.unknown()),
  }),
]);
export type AuditDetails = z.infer<typeof auditDetails>;
