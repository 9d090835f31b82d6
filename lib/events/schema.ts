import { z } from "zod";

// The normalized event: the single source of truth for what every platform source produces and what the
// event table stores (in `data`, plus the indexed columns picked by toEventRow).
//
// Names follow OCSF where OCSF has one (class_uid/class_name, activity, actor, session, src_endpoint,
// user_agent ~ http_request.user_agent, resources, status); the rest is ours and documented field by field.
// Rules every source follows:
//  - A field the platform does not provide stays null. Nothing is guessed; derived values (kind_hint,
//    privileged, class) are computed only from the record's own fields, by rules written in the source.
//  - Ids and keys are non-empty strings (a source turns "", "null", "unknown" placeholders into null), so
//    that two events never join on an empty key.
//  - `extra` keeps platform-specific evidence under the platform's own field names, for the UI and for rules
//    that need a field the common shape does not have.

/** OCSF classes used by the sources (https://schema.ocsf.io, category 2 Findings, 3 IAM, 6 Application). */
export const OCSF_CLASSES = {
  2004: "Detection Finding",
  3001: "Account Change",
  3002: "Authentication",
  3003: "Authorize Session",
  3004: "Entity Management",
  3005: "User Access Management",
  3006: "Group Management",
  6001: "Web Resources Activity",
  6002: "Application Lifecycle",
  6003: "API Activity",
  6005: "Datastore Activity",
  6006: "File Hosting Activity",
} as const;
export type OcsfClassUid = keyof typeof OCSF_CLASSES;

/** Shorthand used by the sources: the class pair for a class id. */
export function ocsfClass(uid: OcsfClassUid): { class_uid: OcsfClassUid; class_name: (typeof OCSF_CLASSES)[OcsfClassUid] } {
  return { class_uid: uid, class_name: OCSF_CLASSES[uid] };
}

export type JsonValue = string | number | boolean | null | JsonValue[] | { [k: string]: JsonValue };

// A plain recursive check: z.json() is several times slower, and `extra` is on the ingest hot path.
function isJsonValue(v: unknown, depth = 0): boolean {
  switch (typeof v) {
    case "string":
    case "boolean":
      return true;
    case "number":
      return Number.isFinite(v);
    case "object": {
      if (v === null) return true;
      if (depth > 64) return false;
      if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) if (!isJsonValue(v[i], depth + 1)) return false;
        return true;
      }
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) return false; // Date, Map, Buffer, class instances
      for (const k in v) if (Object.hasOwn(v, k) && !isJsonValue((v as Record<string, unknown>)[k], depth + 1)) return false;
      return true;
    }
    default:
      return false;
  }
}

const id = z.string().min(1);
const nid = id.nullable();

/** success | failure | unknown (OCSF status); the platform's own outcome text goes to status_detail. */
const EventStatusSchema = z.enum(["success", "failure", "unknown"]);

/**
 * Who (or what) acted, as a hint derived only from the platform's own fields (actor type, bot/agent flags,
 * token type, role naming documented by the vendor). `unknown` when the record does not say.
 *  - human: a person's interactive session.
 *  - service_account: an identity acting as itself with its own secret/certificate (Entra service principal).
 *  - oauth_app: an OAuth client acting (on its own or with a user's grant).
 *  - api_token: a person's long-lived API token (Okta SSWS token, GitHub PAT) rather than a session.
 *  - bot: a platform bot/app identity (GitHub `actor_is_bot`, `…[bot]`, App server-to-server token).
 *  - ai_agent: flagged as an agent by the platform (GitHub `actor_is_agent`).
 *  - workload: a compute identity (Entra managed identity, EC2 instance-profile session).
 *  - system: the platform itself (Okta SystemPrincipal, AWS service principal).
 */
const ActorKindSchema = z.enum(["human", "service_account", "oauth_app", "api_token", "bot", "ai_agent", "workload", "system", "unknown"]);

const CredentialKindSchema = z.enum([
  "password",
  "mfa",
  "sso_session",
  "saml_assertion",
  "oauth_grant",
  "oauth_app",
  "access_token",
  "refresh_token",
  "api_token",
  "aws_access_key",
  "aws_session_key",
  "sp_secret",
  "sp_certificate",
  "pat",
  "ssh_key",
  "jit_grant",
  "unknown",
]);

const ActorSchema = z.strictObject({
  /** The platform's stable id for the actor (Okta user id, Entra object id, AWS principalId, GitHub actor_id). */
  external_id: nid,
  /** Display name (or, where there is none, the login). */
  name: nid,
  /** The login name as the platform writes it (Okta alternateId, Entra UPN, AWS userName/session name, GitHub login). */
  login: nid,
  /**
   * The login when it is email-shaped (Okta alternateId, Entra UPN, SAML NameID). It is a login, not a
   * verified mailbox: correlation uses it as an identity hint only.
   */
  email: nid,
  /** The platform's own actor type string, verbatim (Okta actor.type, AWS userIdentity.type, …). */
  type: nid,
  kind_hint: ActorKindSchema,
});

const SessionSchema = z.strictObject({
  /** The platform's session key, verbatim (or composed as documented in the source when the platform has none). */
  key: id,
  /** Which key this is: okta.externalSessionId, entra.sessionId, aws.role_session, github.hashed_token, … */
  key_type: id,
  /** A root session this one descends from, where the platform says so (Okta rootSessionId). */
  root_key: nid,
  /** Who issued the session, where recorded (AWS sessionIssuer ARN, Okta authenticationContext.issuer.id). */
  issuer: nid,
});

const CredentialSchema = z.strictObject({
  /** The credential's identifier (never a secret): AWS accessKeyId, GitHub hashed_token, Okta API token id, … */
  key: nid,
  /** Which identifier `key` is (aws.access_key_id, github.hashed_token, okta.api_token_id, entra.unique_token_identifier, …). */
  key_type: nid,
  kind: CredentialKindSchema,
  /** The platform's own credential type string, verbatim (programmatic_access_type, credentialType, clientCredentialType). */
  native_type: nid,
  /** The credential this one was obtained with, only when the record itself proves it. */
  parent_key: nid,
  parent_key_type: nid,
  parent_kind: CredentialKindSchema.nullable(),
});

/**
 * A credential minted by this event (AWS STS AssumeRole*, GetSessionToken, GetFederationToken: the new
 * responseElements.credentials.accessKeyId; IAM CreateAccessKey). Lineage: parent_key is the key the call was
 * signed with (userIdentity.accessKeyId), so a chain of role assumptions is a chain of parent links.
 */
const IssuedCredentialSchema = z.strictObject({
  key: id,
  key_type: id,
  kind: CredentialKindSchema,
  native_type: nid,
  parent_key: nid,
  parent_key_type: nid,
  /** The principal the new credential acts as (AWS assumedRoleUser.arn, or the IAM user of a new access key). */
  principal: nid,
  /** AWS sourceIdentity carried by the new session, when present. */
  source_identity: nid,
  /** Expiry exactly as the platform wrote it (CloudTrail writes e.g. "Dec 12, 2024, 4:19:32 PM"; not reinterpreted). */
  expiration: nid,
});

const AuthSchema = z.strictObject({
  /** Factors / methods used, verbatim from the platform (Okta credentialType, Entra authenticationMethod, …). */
  factors: z.array(id),
  /** Whether MFA was used, when the platform says so (AWS MFAUsed / mfaAuthenticated, Entra mfaDetail/requirement met). */
  mfa: z.boolean().nullable(),
  /** The authentication protocol, verbatim (Entra authenticationProtocol, Okta authenticationContext issuer type such as SAML2). */
  protocol: nid,
});

const ClientSchema = z.strictObject({
  /** The OAuth client / application id (Okta client.id, Entra appId, GitHub oauth_application_id). */
  app_id: nid,
  app_name: nid,
});

const LocationSchema = z.strictObject({ city: nid, region: nid, country: nid });

const SrcEndpointSchema = z.strictObject({
  /** An IP address (text). Non-IP values (e.g. CloudTrail "cloudtrail.amazonaws.com") stay in extra. */
  ip: nid,
  location: LocationSchema.nullable(),
});

/**
 * What part an object plays in the event, when it is not the object acted on (absent = a target): `container` is
 * where the target lives (the organization, enterprise, account, bucket or sObject type around it), `related` an
 * object the record names without changing it (the policy attached to a user, the role assumed, the resource a
 * token is for, the owner of a new credential). "What changed" (a session's objects changed) counts targets only.
 */
const ResourceRoleSchema = z.enum(["container", "related"]);

const ResourceSchema = z
  .strictObject({
    type: id,
    id: nid,
    name: nid,
    /**
     * Another identifier of the same object that the platform records and people quote, verbatim, when it differs
     * from id and name (Okta target alternateId: a user's login such as jdoe@example.com, an app's label; an Entra or
     * Microsoft 365 target user's userPrincipalName when its display name is the name). Absent
     * when the platform records none; tickets may name the object by it (compared exactly, case-insensitively).
     */
    alternate_id: id.optional(),
    role: ResourceRoleSchema.optional(),
  })
  .refine((r) => r.id !== null || r.name !== null, { message: "a resource needs an id or a name" });

const AppliedPolicySchema = z.strictObject({ id: nid, name: nid, result: nid });

/**
 * A policy decision: carried by a platform event (Okta sign-on policy evaluation, Entra Conditional Access) or
 * the event itself in a decision feed (an OPA decision log entry). One shape, so that "what did policy say at
 * request time" has one answer per action.
 */
const PolicySchema = z.strictObject({
  /** okta.sign_on_policy | entra.conditional_access | opa | … */
  engine: id,
  /** The engine's result, verbatim or as the source documents it (ALLOW/DENY/CHALLENGE; success/failure/notApplied; allow/deny). */
  result: id,
  policy_name: nid,
  rule_name: nid,
  /** Each policy the engine reported, with its own result (Entra appliedConditionalAccessPolicies). */
  applied: z.array(AppliedPolicySchema),
  /** The engine's id for this decision (OPA decision_id), when it has one. */
  decision_id: nid,
  /** The policy path or query evaluated (OPA `path`, e.g. "app/rbac/allow"). */
  path: nid,
});

/**
 * A just-in-time grant recorded by the platform itself (Entra PIM audit events). A later JIT/PAM feed joins on
 * provider + request_id / role + principal + time. `stage` comes from the activity name: "requested",
 * "completed" (the grant is in force), "expired"/"removed" (it ended).
 */
const JitSchema = z.strictObject({
  /** entra.pim | aws.identity_center | okta.temporary_access | sessionproof.grant (the documented PAM feed) | … */
  provider: id,
  stage: z.enum(["requested", "completed", "expired", "removed", "other"]),
  /** The PIM flavour in the activity name, verbatim: "PIM activation", "permanent", "timebound", … */
  assignment: nid,
  role_id: nid,
  role_name: nid,
  principal_id: nid,
  principal_name: nid,
  justification: nid,
  ticket: nid,
  start_time: nid,
  end_time: nid,
  request_id: nid,
  /** The platform the privilege is for, when the grant names it (PAM feeds grant access to other systems). */
  target_platform: nid,
  /** Who approved the grant, when recorded. */
  approved_by: nid,
  /** When the grant was revoked before its end, when recorded. */
  revoked_time: nid,
});

/**
 * An approval ticket (governance feed: ServiceNow change request, Jira issue). Times are ISO-8601 UTC strings
 * produced by the source from the ticket's own fields; null when the ticket does not carry them.
 */
const ApprovalSchema = z.strictObject({
  /** servicenow | jira | … */
  system: id,
  /** The ticket's key as people quote it: CHG0030001, SEC-142. */
  ticket_key: id,
  /** The ticket's state / approval field, verbatim (approved, Implement, Done). */
  status: nid,
  /** Whether the ticket is approved, from its own approval fields; null when it does not say. */
  approved: z.boolean().nullable(),
  requester: nid,
  approver: nid,
  approved_at: nid,
  /** The planned change window. */
  window_start: nid,
  window_end: nid,
  /** What the change is for: short description / summary and scope text. */
  scope: nid,
  /** Accounts, users or service identities the ticket names (emails, logins, app ids), as written. */
  linked_identities: z.array(id),
  /** Configuration items, systems or objects the ticket names, as written. */
  linked_items: z.array(id),
  /**
   * "approver": one approver's decision on the ticket (ServiceNow sysapproval_approver), which names the approver and
   * the approval time but does not decide the ticket's state while the ticket's own record is known. Absent: the
   * ticket's own record.
   */
  record: z.enum(["approver"]).optional(),
});

/**
 * The verbs an event's `activity` can be: closed, OCSF-aligned where OCSF names the activity (Authentication logon /
 * logoff, Account Change enable / disable / lock / unlock / password change / password reset / MFA enable and disable,
 * Entity Management create / read / update / delete, User Access Management assign / revoke privileges, Group
 * Management add / remove user), collected from what every source emits. The platform's own name for the action
 * stays in event_name; a source maps its words through toActivity, whose one fallback is "other".
 */
export const ACTIVITIES = [
  // authentication and sessions
  "logon",
  "logoff",
  "session_start",
  "mfa",
  "policy_evaluation",
  "authorize",
  "token_grant",
  "token_refresh",
  "token_revoke",
  "impersonate",
  // accounts
  "enable",
  "disable",
  "lock",
  "unlock",
  "password_change",
  "password_reset",
  "mfa_enable",
  "mfa_disable",
  // objects
  "create",
  "read",
  "update",
  "delete",
  "query",
  // groups, privileges, credentials
  "add_user",
  "remove_user",
  "assign_privileges",
  "revoke_privileges",
  "request_privileges",
  "issue_credentials",
  "revoke_credentials",
  "consent",
  // data leaving or entering the platform
  "download",
  "upload",
  "export",
  "share",
  "send",
  // approval records (tickets)
  "request",
  "approve",
  "reject",
  // vendor detections
  "detect",
  "other",
] as const;
export type Activity = (typeof ACTIVITIES)[number];
const ACTIVITY_SET: ReadonlySet<string> = new Set(ACTIVITIES);

/** Whether a word is one of the ACTIVITIES. */
export const isActivity = (w: string): w is Activity => ACTIVITY_SET.has(w);

/** A source's verb as an activity: the verb itself when it is one of the ACTIVITIES, else "other" (the one fallback). */
export function toActivity(verb: string | null | undefined): Activity {
  return verb != null && ACTIVITY_SET.has(verb) ? (verb as Activity) : "other";
}

/** How serious a vendor's risk signal is, on the finding scale (lib/risk/catalog.ts RiskSeverity). */
const RiskSeveritySchema = z.enum(["low", "medium", "high", "critical"]);

/**
 * A risk verdict the vendor itself reached about this sign-in, account or repository: Google login warnings
 * (suspicious_login, account_disabled_hijacked, gov_attack_warning, is_suspicious), Okta risk and behavior detections
 * (debugContext.debugData risk / behaviors, security.threat.detected), Entra sign-in risk (riskLevelDuringSignIn,
 * riskLevelAggregated, riskState, riskEventTypes_v2), Snowflake logins blocked by a network policy, Slack anomaly
 * events, GitHub secret-scanning alerts. Absent when the record carries none. The risk rule vendor-risk-signal turns
 * it into one finding per session (or event, when it has no session) and signal.
 */
const RiskSignalSchema = z.strictObject({
  /** Which signal, "<platform>.<kind>": google.suspicious_login, okta.risk, entra.sign_in_risk, slack.anomaly, … */
  signal: z.string().regex(/^[a-z0-9-]+\.[a-z0-9_]+$/),
  /** The signal in words, as the vendor names it ("Google suspicious login", "Entra sign-in risk"). */
  label: id,
  /** The vendor's level, verbatim (Okta HIGH, Entra high); null when the vendor gives none. */
  vendor_level: nid,
  /** The vendor's state of the signal, verbatim (Entra riskState atRisk / confirmedCompromised); null when none. */
  vendor_state: nid,
  /** The vendor's reasons, verbatim (riskEventTypes_v2, Okta reasons and behaviors, Slack details.reason, …). */
  reasons: z.array(id),
  /** The finding severity, from the vendor level by the mapping each source states beside its reader. */
  severity: RiskSeveritySchema,
});

export const NormalizedEventSchema = z
  .strictObject({
    schema_version: z.literal(1),
    /** Source platform id: okta, entra, aws-cloudtrail, github, … */
    platform: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
    class_uid: z.custom<OcsfClassUid>((v) => typeof v === "number" && Object.hasOwn(OCSF_CLASSES, v), "not an OCSF class used here"),
    class_name: id,
    /** A short verb from the closed list ACTIVITIES (toActivity maps any other word to "other"). */
    activity: z.enum(ACTIVITIES),
    /** The platform's own event name, verbatim (user.session.start, ConsoleLogin, repo.create, Add member to role). */
    event_name: id,
    time: z.date().refine((d) => !Number.isNaN(d.getTime()), { message: "invalid date" }),
    status: EventStatusSchema,
    /** The platform's outcome text (Okta outcome.result + reason, AWS errorCode: errorMessage, Entra errorCode). */
    status_detail: nid,
    /** The platform's human-readable message, if it has one (Okta displayMessage). */
    message: nid,
    actor: ActorSchema,
    session: SessionSchema.nullable(),
    credential: CredentialSchema.nullable(),
    issued_credentials: z.array(IssuedCredentialSchema),
    auth: AuthSchema.nullable(),
    client: ClientSchema.nullable(),
    src_endpoint: SrcEndpointSchema,
    user_agent: nid,
    /** Targets, most specific first; the first one fills the target columns of the event table. */
    resources: z.array(ResourceSchema),
    /** True when the event changes or uses privilege (roles, permissions, policies, credentials of others, root). */
    privileged: z.boolean(),
    policy: PolicySchema.nullable(),
    jit: JitSchema.nullable(),
    /** Set by approval feeds (one ticket per event); null for platform activity. */
    approval: ApprovalSchema.nullable(),
    /** The vendor's own risk verdict on this event; absent when it has none. */
    risk: RiskSignalSchema.optional(),
    /** The platform's id that groups the events of one request/flow (Okta transaction.id, Entra correlationId, GitHub request_id). */
    correlation_id: nid,
    /** The platform's own id for this event (Okta uuid, Entra id, CloudTrail eventID, GitHub _document_id). */
    native_id: nid,
    /** Platform-specific evidence under the platform's own field names; any JSON values. */
    extra: z.custom<Record<string, JsonValue>>(
      (v) => typeof v === "object" && v !== null && !Array.isArray(v) && isJsonValue(v),
      "extra must hold JSON values",
    ),
  })
  .refine((e) => OCSF_CLASSES[e.class_uid] === e.class_name, { message: "class_name does not match class_uid", path: ["class_name"] });

export type NormalizedEvent = z.infer<typeof NormalizedEventSchema>;
export type EventStatus = z.infer<typeof EventStatusSchema>;
export type ActorKind = z.infer<typeof ActorKindSchema>;
export type CredentialKind = z.infer<typeof CredentialKindSchema>;
export type EventSession = z.infer<typeof SessionSchema>;
export type Credential = z.infer<typeof CredentialSchema>;
export type IssuedCredential = z.infer<typeof IssuedCredentialSchema>;
export type Auth = z.infer<typeof AuthSchema>;
export type EventResource = z.infer<typeof ResourceSchema>;
export type EventPolicy = z.infer<typeof PolicySchema>;
export type JitGrant = z.infer<typeof JitSchema>;
export type RiskSignal = z.infer<typeof RiskSignalSchema>;
export type EventApproval = z.infer<typeof ApprovalSchema>;

/** The fields every event names itself; everything else starts empty in `eventSkeleton`. */
export type EventCore = Pick<NormalizedEvent, "platform" | "class_uid" | "class_name" | "activity" | "event_name" | "time" | "actor">;

/**
 * A normalized event with the given core and every other field null or empty (status "unknown"): sources whose
 * mapping fills a few fields per record type start from it instead of spelling out the whole shape.
 */
export function eventSkeleton({ actor, ...core }: EventCore): NormalizedEvent {
  // In the schema's order (actor after message), so the stored JSON reads the same for every source.
  return {
    schema_version: 1,
    ...core,
    status: "unknown",
    status_detail: null,
    message: null,
    actor,
    session: null,
    credential: null,
    issued_credentials: [],
    auth: null,
    client: null,
    src_endpoint: { ip: null, location: null },
    user_agent: null,
    resources: [],
    privileged: false,
    policy: null,
    jit: null,
    approval: null,
    correlation_id: null,
    native_id: null,
    extra: {},
  };
}

/** The normalized event as stored in the `data` JSON column: identical, with `time` as an ISO-8601 string. */
export type NormalizedEventJson = Omit<NormalizedEvent, "time"> & { time: string };

/** The columns of the event table that a normalized event fills (the pipeline adds ids, tenant and raw record). */
export type EventRow = {
  platform: string;
  time: Date;
  classUid: number;
  className: string;
  activity: string;
  eventName: string;
  nativeId: string | null;
  status: string | null;
  actorExternalId: string | null;
  actorName: string | null;
  actorType: string | null;
  sessionKey: string | null;
  credentialKey: string | null;
  clientAppId: string | null;
  srcIp: string | null;
  userAgent: string | null;
  targetType: string | null;
  targetId: string | null;
  targetName: string | null;
  privileged: boolean;
  data: NormalizedEventJson;
};

export function toEventJson(e: NormalizedEvent): NormalizedEventJson {
  return { ...e, time: e.time.toISOString() };
}

/** Maps a normalized event to the event table's columns; `data` is the full normalized event. */
export function toEventRow(e: NormalizedEvent): EventRow {
  const target = e.resources[0] ?? null;
  return {
    platform: e.platform,
    time: e.time,
    classUid: e.class_uid,
    className: e.class_name,
    activity: e.activity,
    eventName: e.event_name,
    nativeId: e.native_id,
    status: e.status,
    actorExternalId: e.actor.external_id,
    actorName: e.actor.name ?? e.actor.login,
    actorType: e.actor.type,
    sessionKey: e.session?.key ?? null,
    credentialKey: e.credential?.key ?? null,
    clientAppId: e.client?.app_id ?? null,
    srcIp: e.src_endpoint.ip,
    userAgent: e.user_agent,
    targetType: target?.type ?? null,
    targetId: target?.id ?? null,
    targetName: target?.name ?? null,
    privileged: e.privileged,
    data: toEventJson(e),
  };
}

/** Validates a normalized event (throws a ZodError listing every problem). */
export function parseNormalizedEvent(e: unknown): NormalizedEvent {
  return NormalizedEventSchema.parse(e);
}
