import { RISK_RULES } from "@/lib/risk/catalog";
import type { FrameworkSlug } from "./catalogs";
import type { EvidenceKind } from "./types";

// Which evidence speaks for which control, kept AS DATA so reports, pages and tests read one table. Finding rules
// carry their own control list (lib/risk/catalog.ts); the facts below are measured from our own tables by
// get-framework-status.ts. Every mapping has a one-line reason that the UI and the reports show next to it.
// Mappings that do not hold are left out on purpose: the ledger is Sessionproof's copy of the logs, not the
// organisation's data at rest (no PR.DS-01); a SaaS source IP is not network monitoring (no DE.CM-01); the list of
// ingested platforms is not an asset inventory (no ID.AM-02); an approval is not an assignment of cybersecurity roles
// (no GV.RR-02); AI RMF subcategories take evidence only from AI-agent activity.

export type { EvidenceKind } from "./types";

/** A measurable fact (not a finding): present when the data shows it, e.g. signed checkpoints exist. */
export type FactDef = { id: string; kind: Exclude<EvidenceKind, "finding_rule">; label: string; measures: string };

export const EVIDENCE_FACTS = [
  {
    id: "governance:approval",
    kind: "governance",
    label: "Approval coverage of privileged actions",
    measures: "governance_check rows with their approval result",
  },
  {
    id: "governance:jit",
    kind: "governance",
    label: "JIT window compliance of privileged actions",
    measures: "governance_check rows matched to an access grant, inside / outside its window",
  },
  {
    id: "coverage:log-generation",
    kind: "coverage",
    label: "Audit logs ingested per platform",
    measures: "events held per platform (coverage report)",
  },
  { id: "coverage:field:session_id", kind: "coverage", label: "Session id fill rate", measures: "share of events carrying a session id" },
  {
    id: "coverage:field:credential_id",
    kind: "coverage",
    label: "Credential id fill rate",
    measures: "share of events carrying a credential id",
  },
  { id: "coverage:field:ip", kind: "coverage", label: "IP address fill rate", measures: "share of events carrying a source IP" },
  { id: "coverage:field:user_agent", kind: "coverage", label: "User agent fill rate", measures: "share of events carrying a user agent" },
  {
    id: "coverage:field:oauth_client",
    kind: "coverage",
    label: "OAuth client fill rate",
    measures: "share of events naming the OAuth client",
  },
  {
    id: "coverage:field:approval_ref",
    kind: "coverage",
    label: "Approval reference fill rate",
    measures: "share of events carrying an approval reference",
  },
  { id: "coverage:join-session", kind: "coverage", label: "Events joined to sessions", measures: "share of events grouped into a session" },
  {
    id: "coverage:join-identity",
    kind: "coverage",
    label: "Events joined to identities",
    measures: "share of events resolved to an identity",
  },
  {
    id: "coverage:retention",
    kind: "coverage",
    label: "Retention meets the requirement on every platform",
    measures: "platforms whose every log type is kept the required days (vendor retention, our policy, data held)",
  },
  {
    id: "ledger:checkpoints",
    kind: "ledger",
    label: "Signed ledger checkpoints",
    measures: "ledger_checkpoint rows (Ed25519-signed tree heads)",
  },
  {
    id: "ledger:raw-records",
    kind: "ledger",
    label: "Raw records in the ledger",
    measures: "raw_record rows with content and leaf hashes",
  },
  { id: "identity:inventory", kind: "identity", label: "Identity inventory by kind", measures: "identity rows by kind" },
  {
    id: "identity:nhi-owned",
    kind: "identity",
    label: "Non-human identities with an owner",
    measures: "non-human identities with owner_identity_id set",
  },
  {
    id: "identity:ai-agents",
    kind: "identity",
    label: "AI agents with an owner",
    measures: "identity rows of kind ai_agent with an owner",
  },
  {
    id: "governance:approval-ai",
    kind: "governance",
    label: "Approval coverage of AI-agent privileged actions",
    measures: "governance_check rows of AI-agent identities with their approval result",
  },
  {
    id: "identity:ai-sessions",
    kind: "identity",
    label: "AI-agent activity reconstructed into sessions",
    measures: "events of AI-agent identities grouped into a session",
  },
  { id: "identity:sessions", kind: "identity", label: "Sessions reconstructed", measures: "session rows built by correlation" },
  { id: "identity:audit-trail", kind: "identity", label: "Investigator actions recorded", measures: "audit_log rows (audit of the audit)" },
] as const satisfies readonly FactDef[];
export type FactId = (typeof EVIDENCE_FACTS)[number]["id"];

export type ControlMapping = {
  framework: FrameworkSlug;
  control: string;
  kind: EvidenceKind;
  /** The rule id for finding_rule, the fact id otherwise. */
  source: string;
  /** One line: why this evidence speaks for this control (shown on the control page and in the reports). */
  reason: string;
  /** Only findings about non-human identities count (rules that fire for people too, mapped to OWASP NHI). */
  actor?: "non_human";
};

const fact = (source: FactId, framework: FrameworkSlug, control: string, reason: string): ControlMapping => ({
  framework,
  control,
  kind: EVIDENCE_FACTS.find((f) => f.id === source)!.kind,
  source,
  reason,
});

const CSF = "nist-csf-2.0" as const;
const NHI = "owasp-nhi-2025" as const;
const AI = "nist-ai-rmf-1.0" as const;

export const FACT_MAPPINGS: readonly ControlMapping[] = [
  fact(
    "governance:approval",
    CSF,
    "PR.AA-05",
    "Each privileged action checked against an approved ticket shows authorizations are enforced and reviewed.",
  ),
  fact("governance:jit", CSF, "PR.AA-05", "Privileged use checked against time-bound grants shows least privilege enforced in time."),
  fact("governance:jit", NHI, "NHI5:2025", "Grants limited to a window are the countermeasure to standing over-privilege."),
  fact("coverage:log-generation", CSF, "PR.PS-04", "Audit logs from each platform are generated and made available for monitoring."),
  fact("coverage:log-generation", CSF, "DE.CM-03", "Platform audit logs are the record of personnel activity and technology usage."),
  fact("coverage:field:session_id", CSF, "RS.AN-03", "Session ids let an incident be reconstructed session by session."),
  fact("coverage:field:credential_id", CSF, "PR.AA-01", "Credential ids tie activity to managed credentials."),
  fact("coverage:field:credential_id", NHI, "NHI9:2025", "Credential ids are what reveals one NHI reused across services."),
  fact("coverage:field:ip", CSF, "DE.AE-03", "Source IPs are one of the keys that link IdP sign-ins to the app sessions they opened."),
  fact("coverage:field:user_agent", NHI, "NHI10:2025", "User agents show a browser behind an NHI credential (human use)."),
  fact("coverage:field:oauth_client", CSF, "DE.CM-06", "The OAuth client names the external provider acting in the tenant."),
  fact("coverage:field:oauth_client", NHI, "NHI3:2025", "Third-party app activity can only be reviewed when the client is logged."),
  fact("coverage:field:approval_ref", CSF, "PR.AA-05", "Approval references in the logs link privileged actions to their authorization."),
  fact("coverage:join-session", CSF, "DE.AE-03", "Events correlated into sessions across sources."),
  fact("coverage:join-identity", CSF, "DE.AE-03", "Events from IdP and SaaS logs correlated to one identity."),
  fact("coverage:join-identity", CSF, "PR.AA-02", "Activity bound to a resolved identity shows who is behind a credential."),
  fact("coverage:retention", CSF, "PR.PS-04", "Logs kept for the required period remain available for monitoring and investigation."),
  fact("coverage:retention", CSF, "RS.AN-07", "Incident data is preserved for as long as it is needed."),
  fact("ledger:checkpoints", CSF, "RS.AN-07", "Signed checkpoints preserve integrity and provenance of incident data."),
  fact("ledger:raw-records", CSF, "RS.AN-07", "Original records are collected with integrity for chain of custody."),
  fact("ledger:raw-records", CSF, "PR.PS-04", "Raw log records are retained as generated."),
  fact("identity:inventory", CSF, "PR.AA-01", "An inventory of human and non-human identities is the base of identity management."),
  fact("identity:inventory", NHI, "NHI1:2025", "Offboarding needs an inventory of the NHIs that exist."),
  fact("identity:nhi-owned", CSF, "GV.RR-02", "NHIs with a named owner: responsibilities are assigned."),
  fact("identity:nhi-owned", CSF, "ID.AM-08", "Owners make NHI life-cycle management and retirement possible."),
  fact("identity:nhi-owned", NHI, "NHI1:2025", "An owner is who offboards an NHI when it is no longer needed."),
  fact("identity:ai-agents", AI, "GOVERN 1.6", "AI agents seen in the logs, each with an accountable owner, inventory the AI systems."),
  // AI RMF subcategories take evidence from AI-agent activity only.
  fact("governance:approval-ai", AI, "MAP 3.5", "Human approval of AI-agent privileged actions is human oversight applied."),
  fact("governance:approval-ai", AI, "GOVERN 3.2", "Approvals of AI-agent actions show the human role in human-AI configurations."),
  fact("identity:ai-sessions", AI, "MEASURE 2.4", "AI-agent sessions reconstructed from platform logs monitor deployed AI behavior."),
  fact("identity:sessions", CSF, "RS.AN-03", "Reconstructed sessions show what happened and in which order."),
  fact("identity:sessions", CSF, "DE.AE-02", "Sessions are the unit in which adverse events are analyzed."),
  fact("identity:audit-trail", CSF, "RS.AN-06", "Investigator actions are recorded (audit of the audit)."),
];

/** Every mapping: the finding rules' own controls plus the fact mappings. */
export const EVIDENCE_MAP: readonly ControlMapping[] = [
  ...RISK_RULES.flatMap((r) =>
    r.controls.map((c) => ({
      framework: c.framework,
      control: c.id,
      kind: "finding_rule" as const,
      source: r.id,
      reason: c.reason,
      ...(c.actor ? { actor: c.actor } : {}),
    })),
  ),
  ...FACT_MAPPINGS,
];

export function mappingsFor(framework: FrameworkSlug, control?: string): ControlMapping[] {
  return EVIDENCE_MAP.filter((m) => m.framework === framework && (control === undefined || m.control === control));
}

export const factDef = (id: string): FactDef | undefined => EVIDENCE_FACTS.find((f) => f.id === id);
export const ruleDef = (id: string) => RISK_RULES.find((r) => r.id === id);
