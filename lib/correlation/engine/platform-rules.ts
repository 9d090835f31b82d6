import type { NormalizedEventJson } from "@/lib/events/schema";

// What the engine knows about particular platforms, as data behind a small interface, apart from the generic
// rules that use it: which platforms are identity providers and which of their events is a single sign-on into
// an app, which platform an app's name stands for, and which session keys name a long-lived token rather than
// one session. The engine reads it only through PlatformRules (CorrelationState.rules), so these entries can
// move into each platform's own profile without touching the phases.

/** An identity provider's single sign-on events: the ones that sign the person into an app. */
type IdpSsoRule = {
  /** The rule named on an idp_to_app link made from such an event. */
  rule: string;
  /** The app a successful event of this IdP signed the person into; null when it is not such an event. */
  appName: (e: NormalizedEventJson) => string | null;
  /**
   * The platform of the sessions such an event opens, when the IdP is part of that platform (AWS IAM Identity Center
   * signs people into AWS role sessions); by default the platform the app name stands for (appPatterns).
   */
  target?: string;
};

export type PlatformRules = {
  /** Identity providers by platform, with how their single sign-on events are recognised. */
  idpSso: ReadonlyMap<string, IdpSsoRule>;
  /** Which platform an application name stands for: the first pattern that matches. */
  appPatterns: readonly (readonly [RegExp, string])[];
  /** Session key types that name a token, which outlives any one session: split where activity pauses longer than tokenGapMs. */
  tokenKeyTypes: ReadonlySet<string>;
  tokenGapMs: number;
  /**
   * Per platform, events made by a client that serves every session of a token alongside the session's own client:
   * their user agent is never "a new client" of the token (nor the session's client).
   */
  tokenCompanionClient: ReadonlyMap<string, (e: NormalizedEventJson) => boolean>;
  /**
   * Platforms that write their session id on only some records: a keyless event of such a platform joins the keyed
   * session of the same identity, client / user agent and network whose span holds it (within slackMs of it).
   */
  keylessJoin: ReadonlyMap<string, { rule: string; confidence: number; slackMs: number }>;
  /** Per platform, how long one session key can live (maxSpanMs) and pause (idleGapMs): beyond, the key starts a new session. */
  sessionLimits: ReadonlyMap<string, { maxSpanMs: number | null; idleGapMs: number | null }>;
  /**
   * Per platform, the actor types of callers from outside the platform who exchange an external token for platform
   * credentials: such a keyless exchange is the first event of the session that runs on what it minted.
   */
  exchangeCallers: ReadonlyMap<string, ReadonlySet<string>>;
  /** Platforms whose failed sign-ins never open a session (a keyless failed logon gets none, and joins none by flow id). */
  failedLoginNoSession: ReadonlySet<string>;
  /** Platforms where a keyless row joins a keyed row by flow id only when both name the same user. */
  flowJoinSameUser: ReadonlySet<string>;
  /** Sessions of different identities or platforms starting from one address this close together: a low-confidence link. */
  sameIpWindowMs: number;
  /** More sessions than this starting from one address inside the window: a shared egress (NAT, proxy), no link. */
  sameIpMaxSessions: number;
  /** How long after a CI job's event its OIDC token can be exchanged for a cloud role (a job runs at most 6 hours). */
  oidcWindowMs: number;
  /**
   * Per platform, the id under which the event's used credential was issued, when the record names it beside the
   * credential's own key (the key its minting event's issued_credentials carry); null when it names none.
   */
  credentialAlias: ReadonlyMap<string, (e: NormalizedEventJson) => string | null>;
  /** Credential kinds a person mints for something else to use: a delegated one is the identity of its uses (engine/scan.ts). */
  delegableCredentialKinds: ReadonlySet<string>;
};

const HOUR = 60 * 60_000;
const TOKEN_GAP_MS = 2 * HOUR;

export const PLATFORM_RULES: PlatformRules = {
  idpSso: new Map<string, IdpSsoRule>([
    [
      "okta",
      {
        rule: "okta_sso_event",
        appName: (e) =>
          e.event_name === "user.authentication.sso"
            ? (e.resources.find((r) => r.type === "AppInstance")?.name ?? e.resources[0]?.name ?? null)
            : null,
      },
    ],
    [
      // AWS IAM Identity Center: a successful UserAuthentication (signin.amazonaws.com) signs the person into the
      // access portal, from which each account role opens an AWSReservedSSO_ role session (AWS docs, "Understanding
      // IAM Identity Center sign-in events"; "IAM Identity Center CloudTrail use cases").
      "aws-cloudtrail",
      {
        rule: "aws_identity_center_signin_to_role_session",
        appName: (e) => (e.class_uid === 3002 && e.event_name === "UserAuthentication" ? "AWS IAM Identity Center" : null),
        target: "aws-cloudtrail",
      },
    ],
    ["entra", { rule: "entra_signin_to_app", appName: (e) => (e.class_uid === 3002 && e.client?.app_name ? e.client.app_name : null) }],
  ]),
  appPatterns: [
    [/salesforce/i, "salesforce"],
    [/slack/i, "slack"],
    [/google|g suite|gsuite|workspace/i, "google-workspace"],
    [/amazon web services|\baws\b|iam identity center/i, "aws-cloudtrail"],
    [/atlassian|jira|confluence/i, "atlassian"],
    [/snowflake/i, "snowflake"],
    [/github/i, "github"],
    [/office 365|microsoft 365|exchange|sharepoint|onedrive|teams/i, "m365"],
  ],
  tokenKeyTypes: new Set(["github.hashed_token", "github.token_id"]),
  tokenGapMs: TOKEN_GAP_MS,
  tokenCompanionClient: new Map([
    // GitHub: git.clone / git.fetch / git.push are Git protocol operations ("git category actions" of the audit log),
    // written with the git client's user agent whatever tool holds the token: a person's `gh` CLI session or a script
    // clones through git with the same token, so git's user agent beside another client is not another session.
    ["github", (e: NormalizedEventJson) => e.event_name.startsWith("git.")],
  ]),
  keylessJoin: new Map([
    // Slack Audit Logs API: context.session_id is set on actions done in a signed-in session, not on every entry
    // of that session (API-token and some admin actions lack it).
    ["slack", { rule: "keyless_join:identity+client+network+span", confidence: 0.85, slackMs: 5 * 60_000 }],
    // Entra sign-in logs: non-interactive sign-ins are token renewals a client makes within the user's session from
    // the same device, app and address; many of them carry no sessionId.
    ["entra", { rule: "keyless_join:identity+client+network+span", confidence: 0.8, slackMs: 5 * 60_000 }],
    // Salesforce EventLogFile: SESSION_KEY is the UI session's key; API events of the same session often leave it
    // empty (an API call authenticated with the session id carries LOGIN_KEY or nothing).
    ["salesforce", { rule: "keyless_join:identity+client+network+span", confidence: 0.8, slackMs: 5 * 60_000 }],
  ]),
  sessionLimits: new Map([
    // Salesforce session settings: the "Timeout value" is 15 minutes to 24 hours of inactivity (Salesforce Help,
    // "Modify Session Security Settings"): a SESSION_KEY silent for longer is a new session.
    ["salesforce", { maxSpanMs: null, idleGapMs: 24 * HOUR }],
    // Snowflake session policies: SESSION_IDLE_TIMEOUT_MINS at most 240 (Snowflake docs, "Session policies").
    ["snowflake", { maxSpanMs: null, idleGapMs: 4 * HOUR }],
    // AWS STS: a role session lasts at most the role's MaxSessionDuration, 12 hours at most (IAM User Guide,
    // "Update the maximum session duration for a role").
    ["aws-cloudtrail", { maxSpanMs: 12 * HOUR, idleGapMs: null }],
  ]),
  // AWS STS: AssumeRoleWithWebIdentity and AssumeRoleWithSAML are called with an OIDC / SAML token, not AWS
  // credentials; CloudTrail names the caller as userIdentity type WebIdentityUser / SAMLUser and no session, and the
  // role session the call creates (responseElements.credentials, assumedRoleUser) is where its use is logged (IAM
  // User Guide, "Logging IAM and AWS STS API calls with AWS CloudTrail"; CloudTrail userIdentity element).
  exchangeCallers: new Map([["aws-cloudtrail", new Set(["WebIdentityUser", "SAMLUser"])]]),
  // Snowflake LOGIN_HISTORY: IS_SUCCESS = NO rows never get a SESSIONS row (Snowflake docs, "LOGIN_HISTORY view",
  // "SESSIONS view": a session is created by a successful login, LOGIN_EVENT_ID names it), and the SESSIONS row
  // names USER_NAME, the user of the login it points to.
  failedLoginNoSession: new Set(["snowflake"]),
  flowJoinSameUser: new Set(["snowflake"]),
  sameIpWindowMs: 5 * 60_000,
  sameIpMaxSessions: 4,
  // GitHub Actions: a job runs at most 6 hours ("Usage limits for GitHub Actions"), and requests its OIDC token
  // while running ("About security hardening with OpenID Connect").
  oidcWindowMs: 6 * HOUR,
  credentialAlias: new Map([
    // GitHub: an event performed with a token names the token by hashed_token and by token_id, "the ID of the token"
    // ("Identifying audit log events performed by an access token",
    // https://docs.github.com/en/enterprise-cloud@latest/admin/monitoring-activity-in-your-enterprise/reviewing-audit-logs-for-your-enterprise/identifying-audit-log-events-performed-by-an-access-token);
    // personal_access_token.create names the new token by user_programmatic_access_id, the same id (security log
    // events, https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/security-log-events).
    ["github", (e: NormalizedEventJson) => (typeof e.extra?.token_id === "string" && e.extra.token_id !== "" ? e.extra.token_id : null)],
  ]),
  // GitHub personal access tokens: "a personal access token … used in place of a password" that the person can hand to a
  // script or service (GitHub Docs, "Managing your personal access tokens").
  delegableCredentialKinds: new Set(["pat"]),
};

/** Which platform an IdP's application name stands for. */
export function appPlatform(appName: string | null, rules: PlatformRules = PLATFORM_RULES): string | null {
  if (!appName) return null;
  for (const [re, p] of rules.appPatterns) if (re.test(appName)) return p;
  return null;
}

/**
 * The repository a GitHub Actions OIDC token names, from its subject claim ("repo:OWNER/REPO:ref:…", GitHub docs,
 * "About security hardening with OpenID Connect": example subject claims), lowercased; null for other subjects.
 * CloudTrail writes the subject as the WebIdentityUser's userName (and responseElements.subjectFromWebIdentityToken).
 */
export function oidcRepo(subject: string | null): string | null {
  if (!subject || !subject.startsWith("repo:")) return null;
  const end = subject.indexOf(":", 5);
  return (end < 0 ? subject.slice(5) : subject.slice(5, end)).toLowerCase() || null;
}

/** The repository a GitHub audit-log event names (its "repository" resource), lowercased. */
export function eventRepo(e: NormalizedEventJson): string | null {
  for (const r of e.resources) if (r.type === "repository" && r.name) return r.name.toLowerCase();
  return null;
}

/** The network an address is in, for "a token used from a new network": IPv4 /24, IPv6 /64 (the first four groups as written). */
export function networkOf(ip: string): string {
  if (ip.includes(":")) {
    let k = -1;
    for (let n = 0; n < 4; n++) {
      k = ip.indexOf(":", k + 1);
      if (k < 0 || ip[k + 1] === ":") return ip; // "::" compression before the fourth group: compare whole addresses
    }
    return ip.slice(0, k);
  }
  const k = ip.lastIndexOf(".");
  return k < 0 ? ip : ip.slice(0, k);
}
