// The risk rule catalog, kept as data so the compliance mapping (H4) and the UI can read it
// without running any rule. Control ids are the official ones from /work/shared/reference/catalogs.

export type RiskSeverity = "low" | "medium" | "high" | "critical";

type RiskControlRef = {
  framework: "nist-csf-2.0" | "owasp-nhi-2025" | "nist-ai-rmf-1.0";
  id: string;
  reason: string;
  /** Only findings whose identity is non-human count for this control (the rule fires for people too). */
  actor?: "non_human";
};

export type RiskRuleDef = {
  id: string;
  title: string;
  severity: RiskSeverity;
  description: string;
  /** Which fields / records the rule cites as evidence. */
  evidence: string[];
  controls: RiskControlRef[];
};

// One maker per framework: each rule lists its controls as `csf("PR.AA-05", why)`, so what differs between rules
// (the control and the reason it applies) is all that is written per line.
const control =
  (framework: RiskControlRef["framework"]) =>
  (id: string, reason: string): RiskControlRef => ({ framework, id, reason });
const csf = control("nist-csf-2.0");
const nhi = control("owasp-nhi-2025");
// For rules that also fire for people: the OWASP NHI control takes only the findings about non-human identities.
const nhiActorOnly = (id: string, reason: string): RiskControlRef => ({ ...nhi(id, reason), actor: "non_human" });
const aiRmf = control("nist-ai-rmf-1.0");

export const RISK_RULES: readonly RiskRuleDef[] = [
  {
    id: "privileged-without-approval",
    title: "Privileged action without approval",
    severity: "high",
    description:
      "A privileged action had no valid approval: no ticket, or its ticket was rejected, unscoped, approved after the action, expired, self-approved, overused or not the one its grant names, or who acted is unproven.",
    evidence: ["governance_check.statuses (approval rules failed)", "approval", "event (privileged)", "session"],
    controls: [
      csf("PR.AA-05", "Authorizations must be enforced and reviewed before privileged use."),
      csf("DE.CM-03", "Personnel activity is monitored to find privileged use that bypassed approval."),
    ],
  },
  {
    id: "privileged-outside-jit",
    title: "Privileged action outside its JIT window",
    severity: "high",
    description:
      "A privileged action happened outside its just-in-time access grant's window, beyond the clock-skew tolerance (governance status outside_window).",
    evidence: ["governance_check.statuses (outside_window)", "access_grant", "event (privileged)"],
    controls: [
      csf("PR.AA-05", "Time-bound entitlements must be enforced; use outside the window is unauthorized."),
      nhiActorOnly(
        "NHI5:2025",
        "Standing privilege beyond the granted window is over-privilege (findings about non-human identities only).",
      ),
    ],
  },
  {
    id: "standing-privilege",
    title: "Standing privilege used",
    severity: "high",
    description:
      "Privileged actions ran on a grant without an end, or with no JIT grant on a platform that requires one: the privilege was standing, not just in time. One finding per open-ended grant, or per actor and platform.",
    evidence: ["governance_check.statuses (standing_privilege)", "access_grant (no expiry)", "event (privileged)"],
    controls: [
      csf("PR.AA-05", "Least privilege: access should be granted for the time the task needs, not held standing."),
      nhi("NHI5:2025", "Standing administrative privilege is over-privilege."),
    ],
  },
  {
    id: "over-broad-grant",
    title: "JIT grant broader than what was used",
    severity: "medium",
    description:
      "A just-in-time grant gave more privilege than the actions it covered needed (e.g. AdministratorAccess for an IAM policy change). One finding per grant.",
    evidence: ["governance_check.statuses (over_broad_grant)", "access_grant.privilege", "governance_check.usedPrivilege"],
    controls: [
      csf("PR.AA-05", "Least privilege: the entitlement granted should match the task."),
      nhi("NHI5:2025", "A grant broader than its use is over-privilege."),
    ],
  },
  {
    id: "human-use-of-nhi",
    title: "Human use of a non-human identity",
    severity: "high",
    description:
      "A non-human identity (service account, bot, workload, API token) signed in interactively with a browser user agent, which indicates a person is using it.",
    evidence: ["identity.kind", "event.userAgent (browser)", "event (authentication)"],
    controls: [
      nhi("NHI10:2025", "Direct match: humans using NHI credentials."),
      csf("PR.AA-02", "Identities must be bound to credentials according to the context of the interaction."),
    ],
  },
  {
    id: "nhi-network-change",
    title: "NHI session from a changed or new network",
    severity: "high",
    description:
      "A non-human identity session changed source IP mid-session, or the identity appeared from a network never seen before for it: possible token replay or pass-the-cookie.",
    evidence: ["event.srcIp (distinct per session)", "session", "identity.kind"],
    controls: [
      csf("PR.AA-04", "Identity assertions (tokens, cookies) must be protected and verified; replay from another network defeats that."),
      nhi("NHI2:2025", "Use of an NHI token from an unexpected network suggests a leaked secret."),
    ],
  },
  {
    id: "weak-authentication",
    title: "Password-only or MFA-less sign-in",
    severity: "medium",
    description: "A service account signed in with a password only, or a human signed in without MFA.",
    evidence: ["event (authentication, success)", "event.data auth factors / mfa flag", "identity.kind"],
    controls: [
      csf("PR.AA-03", "Users and services must be authenticated commensurate with risk."),
      nhiActorOnly("NHI4:2025", "Password authentication of an NHI is insecure authentication (findings about non-human identities only)."),
    ],
  },
  {
    id: "stale-long-lived-credential",
    title: "Long-lived credential older than the maximum still in use",
    severity: "medium",
    description:
      "A long-lived credential (access key, secret, PAT, API token, SSH key) issued more than the configured maximum number of days ago is still being used.",
    evidence: ["credential.issuedAt / firstSeenAt", "credential.lastUsedAt", "event (credentialKey)"],
    controls: [nhi("NHI7:2025", "Direct match: long-lived secrets."), csf("PR.AA-01", "Credentials must be managed, including rotation.")],
  },
  {
    id: "orphaned-or-dormant-nhi",
    title: "Orphaned or dormant NHI still active",
    severity: "medium",
    description:
      "A non-human identity is still active although its owner departed or is disabled, or it has not been used for more than the configured number of dormant days.",
    evidence: ["identity.ownerIdentityId -> owner.status", "identity.lastSeenAt", "identity.status"],
    controls: [
      nhi("NHI1:2025", "Direct match: improper offboarding."),
      csf("PR.AA-01", "Identities must be managed through their life cycle."),
    ],
  },
  {
    id: "nhi-cross-environment",
    title: "One NHI used across environments or applications",
    severity: "medium",
    description:
      "A single non-human identity is used on several platforms or by several client applications, so one compromise spans environments.",
    evidence: ["event.platform (distinct)", "event.clientAppId (distinct)", "identity"],
    controls: [nhi("NHI8:2025", "Environment isolation is broken."), nhi("NHI9:2025", "Reuse of one NHI across applications.")],
  },
  {
    id: "excessive-scopes",
    title: "NHI granted far more scopes than it uses",
    severity: "medium",
    description: "A non-human identity has been granted many more scopes / permissions than it has been seen using.",
    evidence: ["access_grant / event.data scopes granted", "event.data scopes used"],
    controls: [nhi("NHI5:2025", "Direct match: over-privileged NHI."), csf("PR.AA-05", "Least privilege: entitlements must be reviewed.")],
  },
  {
    id: "oauth-bulk-data-access",
    title: "Third-party OAuth integration bulk reads or exports data",
    severity: "high",
    description: "An OAuth application performed bulk data reads or exports above the configured threshold.",
    evidence: ["identity.kind oauth_app", "event (read/export/download activities)", "count per app"],
    controls: [
      nhi("NHI3:2025", "Vulnerable third-party NHI with broad data access."),
      csf("DE.CM-06", "External service provider activity must be monitored."),
      csf("GV.SC-07", "Risks posed by third parties must be understood and monitored."),
    ],
  },
  {
    id: "delegated-high-impact-change",
    title: "Delegated-admin or service-to-service high-impact change",
    severity: "high",
    description:
      "A session acting under delegated authority (impersonation, assumed role, on-behalf-of) or a service-to-service session made privileged, high-impact changes.",
    evidence: ["session.initiatorIdentityId", "identity.kind", "event (privileged)"],
    controls: [
      csf("PR.AA-05", "Delegated authorizations must be defined, enforced and reviewed."),
      csf("DE.CM-03", "Technology usage is monitored to find adverse events."),
    ],
  },
  {
    id: "ai-agent-without-approval",
    title: "AI agent made privileged changes without human approval",
    severity: "critical",
    description: "An AI agent acting under delegated authority made privileged changes with no human approval recorded for them.",
    evidence: ["identity.kind ai_agent / event.actorType", "event (privileged)", "approval (absent)"],
    controls: [
      aiRmf("GOVERN 3.2", "Roles for human-AI configurations and oversight must be defined."),
      aiRmf("MAP 3.5", "Processes for human oversight must be defined and applied."),
      aiRmf("MANAGE 2.4", "Mechanisms to supersede or disengage AI acting outside intended use."),
      csf("PR.AA-05", "Authorizations of the agent must be enforced."),
    ],
  },
  {
    id: "vendor-risk-signal",
    title: "Vendor risk signal",
    severity: "medium",
    description:
      "The platform itself flagged a sign-in, account or repository: Google suspicious-login and hijacked-account warnings, " +
      "Okta risk, behavior and threat detections, Entra sign-in risk level and state, Snowflake logins blocked by a network " +
      "policy, Slack anomaly events, GitHub secret-scanning alerts and push-protection bypasses. One finding per session " +
      "(or per event without a session) and signal, titled with the vendor's reason. Its severity is the highest of its " +
      "events', mapped from the vendor's level by each source (NormalizedEvent.risk.severity): low / medium / high levels " +
      "as such, a compromise the vendor confirmed (Entra confirmedCompromised, Google hijacked account) critical, signals " +
      "without a level medium (GitHub leaked secrets high); the catalog severity applies when an event gives none.",
    evidence: ["event.data.risk (signal, vendor level and state, reasons)", "session", "event"],
    controls: [
      csf("DE.AE-02", "Potentially adverse events flagged by the platforms are analyzed."),
      csf("DE.CM-03", "Personnel activity is monitored; the vendor's own risk verdicts are part of it."),
      nhiActorOnly(
        "NHI2:2025",
        "A leaked secret or a token used anomalously is secret leakage (findings about non-human identities only).",
      ),
    ],
  },
  {
    id: "lookalike-identities",
    title: "Identities that differ only by invisible characters",
    severity: "high",
    description:
      "Two identities whose names or email addresses are the same once invisible characters (zero-width spaces and joiners, " +
      "bidirectional controls, tags) are removed: one can pass for the other on screen and in reports, the shape of an " +
      "impersonation or of an account made to hide among real ones. One finding per pair.",
    evidence: ["identity.displayName / primaryEmail (with the invisible characters named)", "event (the look-alike's activity)"],
    controls: [
      csf("PR.AA-01", "Identities must be managed so that each one is distinct and attributable."),
      csf("DE.AE-02", "Potentially adverse events are analyzed: a name built to look like another's is one."),
    ],
  },
] as const;

export function riskRule(id: string): RiskRuleDef | undefined {
  return RISK_RULES.find((r) => r.id === id);
}

/** Weights used to compute session.riskScore from open findings. */
export const SEVERITY_WEIGHT: Record<RiskSeverity, number> = { low: 1, medium: 3, high: 7, critical: 10 };
export const SEVERITY_ORDER: readonly RiskSeverity[] = ["critical", "high", "medium", "low"];
