import {
  ocsfClass,
  type ActorKind,
  type Auth,
  type Credential,
  type CredentialKind,
  type EventPolicy,
  type EventResource,
  type IssuedCredential,
  type JitGrant,
  type NormalizedEvent,
  type OcsfClassUid,
  type RiskSignal,
  toActivity,
} from "@/lib/events/schema";
import { NormalizeError } from "../types";
import { changesKeys, keysAdded } from "../util/entra-keys";
import { at, emailShaped, extraOf, field, isRec, keyText, listAt, recAt, text, type Rec } from "../util/fields";
import { unwrapPanther } from "../util/panther";
import { riskField, riskSignal, severityOfLevel } from "../util/risk";
import { sourceIp } from "../util/source-ip";
import { columnOf, convertedFrom, entraRecordOf, logAnalyticsTable, OFFICE_TABLE } from "../util/log-analytics";
import { parseTime } from "../util/time";

// Microsoft Entra ID sign-in and audit logs, in the two shapes they are exported in:
//  - Microsoft Graph: GET /auditLogs/signIns (signIn resource) and /auditLogs/directoryAudits (directoryAudit),
//    as {"value": [...]} pages or their elements;
//  - Azure Monitor diagnostic settings (storage account / Event Hub / Log Analytics export): one record per
//    event with time, category (SignInLogs, NonInteractiveUserSignInLogs, ServicePrincipalSignInLogs,
//    ManagedIdentitySignInLogs, AuditLogs), operationName, resultType, callerIpAddress, correlationId, identity,
//    and the Graph fields under `properties`; {"records": [...]} or one per line.
// Microsoft 365 Unified Audit Log records (Workload/RecordType/Operation/CreationTime) are refused: they belong
// to the m365 source.

export const ENTRA_PLATFORM = "entra";

export const SIGNIN_CATEGORIES: Record<string, string> = {
  SignInLogs: "interactiveUser",
  NonInteractiveUserSignInLogs: "nonInteractiveUser",
  ServicePrincipalSignInLogs: "servicePrincipal",
  ManagedIdentitySignInLogs: "managedIdentity",
};
const CATEGORY_OF_KIND: Record<string, string> = Object.fromEntries(Object.entries(SIGNIN_CATEGORIES).map(([c, k]) => [k, c]));

type Shape = { kind: "signin"; props: Rec; top: Rec | null } | { kind: "audit"; props: Rec; top: Rec | null };

/** True for a Microsoft 365 Unified Audit Log record (Management Activity API / Purview export shape). */
export function isUnifiedAuditLogRecord(r: Rec): boolean {
  return (
    field(r, "CreationTime") !== undefined &&
    field(r, "Operation") !== undefined &&
    (field(r, "RecordType") !== undefined ||
      field(r, "Workload") !== undefined ||
      field(r, "UserKey") !== undefined ||
      field(r, "OrganizationId") !== undefined)
  );
}

function hasAny(r: Rec, keys: string[]): boolean {
  return keys.some((k) => field(r, k) !== undefined);
}

const SIGNIN_FIELDS = [
  "createdDateTime",
  "userPrincipalName",
  "appId",
  "servicePrincipalId",
  "uniqueTokenIdentifier",
  "conditionalAccessStatus",
  "signInEventTypes",
  "isInteractive",
];
const AUDIT_FIELDS = ["activityDisplayName", "activityDateTime", "initiatedBy", "targetResources", "loggedByService"];

function shapeOf(r: Rec): Shape {
  if (isUnifiedAuditLogRecord(r)) {
    const workload = text(field(r, "Workload"));
    const recordType = text(field(r, "RecordType"));
    const what = [workload && `Workload ${workload}`, recordType && `RecordType ${recordType}`].filter(Boolean).join(", ");
    throw new NormalizeError(
      `Microsoft 365 Unified Audit Log record${what ? ` (${what})` : ""}: belongs to the Microsoft 365 (m365) source, not to Entra ID sign-in/audit logs`,
      { belongsTo: "m365" },
    );
  }
  const props = recAt(r, "properties");
  if (props) {
    // Azure Monitor diagnostic-settings record.
    const category = text(field(r, "category"));
    if (category && SIGNIN_CATEGORIES[category]) return { kind: "signin", props, top: r };
    if (category === "AuditLogs" || hasAny(props, AUDIT_FIELDS)) return { kind: "audit", props, top: r };
    if (text(field(r, "operationName")) === "Sign-in activity" || hasAny(props, SIGNIN_FIELDS)) return { kind: "signin", props, top: r };
    throw new NormalizeError(`Azure Monitor record of category ${category ?? "(none)"}: not an Entra ID sign-in or audit log`);
  }
  if (hasAny(r, AUDIT_FIELDS) && field(r, "activityDisplayName") !== undefined) return { kind: "audit", props: r, top: null };
  if (field(r, "createdDateTime") !== undefined && hasAny(r, SIGNIN_FIELDS.slice(1))) return { kind: "signin", props: r, top: null };
  throw new NormalizeError(
    "not an Entra ID sign-in (Graph signIn / Azure Monitor SignInLogs) or audit (directoryAudit / AuditLogs) record",
  );
}

/**
 * The event time: the Graph field, else the Azure Monitor record's `time` (Log Analytics TimeGenerated). Azure Monitor
 * and Log Analytics exports may write it US-style ("1/9/2007 9:41:00 AM", UTC); a refusal names the field really read
 * (the exported column for a Log Analytics row).
 */
function eventTime(props: Rec, top: Rec | null, key: string): Date {
  const own = field(props, key);
  if (own !== undefined && own !== null && own !== "") return parseTime(own, columnOf(props, key), { usDates: top !== null });
  if (top && field(top, "time") !== undefined) return parseTime(field(top, "time"), columnOf(top, "time"), { usDates: true });
  return parseTime(
    own ?? (top ? field(top, "createdDateTime") : undefined),
    top ? `${columnOf(props, key)} or ${columnOf(top, "time")}` : key,
  );
}

/** A field from the Graph properties, else from the Azure Monitor envelope record (same name). */
function pick(props: Rec, top: Rec | null, key: string): unknown {
  const v = field(props, key);
  return v !== undefined && v !== null ? v : top ? field(top, key) : undefined;
}

// --- sign-ins ----------------------------------------------------------------------------------------------

const CLIENT_CREDENTIAL: Record<string, CredentialKind> = {
  clientSecret: "sp_secret",
  certificate: "sp_certificate",
};
const INCOMING_TOKEN: Record<string, CredentialKind> = {
  refreshToken: "refresh_token",
  primaryRefreshToken: "refresh_token",
  saml11: "saml_assertion",
  saml20: "saml_assertion",
  previouslyIssuedAccessToken: "access_token",
};

function signInKind(props: Rec, top: Rec | null): string {
  // The log a record comes from says what signed in: a record of the service-principal or managed-identity
  // sign-in logs is a workload whatever its user fields say; so does a workload type anywhere in
  // signInEventTypes (Graph beta lists every type the sign-in belongs to).
  const category = top ? text(field(top, "category")) : null;
  const fromCategory = category ? SIGNIN_CATEGORIES[category] : undefined;
  if (fromCategory === "servicePrincipal" || fromCategory === "managedIdentity") return fromCategory;
  const types = listAt(props, "signInEventTypes")
    .map(text)
    .filter((t): t is string => !!t);
  const workloadType = types.find((t) => t === "servicePrincipal" || t === "managedIdentity");
  if (workloadType) return workloadType;
  if (types.length) return types[0];
  if (fromCategory) return fromCategory;
  const mi = text(field(props, "managedIdentityType"));
  if (mi && mi !== "none") return "managedIdentity";
  const interactive = field(props, "isInteractive");
  if (interactive === true) return "interactiveUser";
  if (keyText(field(props, "servicePrincipalId")) && !keyText(field(props, "userId"))) return "servicePrincipal";
  if (interactive === false) return "nonInteractiveUser";
  return "interactiveUser";
}

// Methods that are multifactor by themselves (Microsoft's authentication-methods overview: Windows Hello for
// Business, FIDO2 security keys / passkeys, passwordless phone sign-in, certificate-based MFA).
const STRONG_METHOD = /windows hello|fido2|passkey|passwordless|platform credential|multifactor certificate/i;

/**
 * Whether MFA was performed: a succeeded step that is an MFA step (authenticationStepRequirement
 * multiFactorAuthentication, or a result "MFA … completed / satisfied by claim in the token", i.e. done earlier in
 * the session) or a strong method; false when the details show steps and none of them is; with no details,
 * true when mfaDetail names a method, else unknown.
 */
function mfaPerformed(steps: Rec[], mfaMethod: string | null): boolean | null {
  if (steps.length === 0) return mfaMethod ? true : null;
  return steps.some((d) => {
    if (field(d, "succeeded") !== true) return false;
    const method = text(field(d, "authenticationMethod")) ?? "";
    const requirement = text(field(d, "authenticationStepRequirement")) ?? "";
    const result = text(field(d, "authenticationStepResultDetail")) ?? "";
    return (
      STRONG_METHOD.test(method) ||
      (/multi.?factor/i.test(requirement) && !/^password/i.test(method)) ||
      /\bMFA\b.*(completed|satisfied)/i.test(result)
    );
  });
}

/** A list field that exports may write as a JSON array's text (Log Analytics RiskEventTypes_V2 "[\"…\"]"). */
function listOrJsonText(props: Rec, key: string): unknown[] {
  const v = field(props, key);
  if (Array.isArray(v)) return v;
  const t = text(v);
  if (!t?.startsWith("[")) return t ? [t] : [];
  try {
    const parsed: unknown = JSON.parse(t);
    return Array.isArray(parsed) ? parsed : [];
  } catch {
    return [];
  }
}

/** Entra risk states by which the vendor itself closed the risk (riskState, Graph signIn resource). */
const CLOSED_RISK = /^(remediated|dismissed|confirmedSafe)$/i;

/**
 * Entra's own risk assessment of a sign-in (Graph signIn: riskLevelDuringSignIn, riskLevelAggregated, riskState,
 * riskDetail, riskEventTypes_v2; https://learn.microsoft.com/en-us/graph/api/resources/signin), or null when it saw
 * none (levels none / hidden, state none). Severity mapping: riskState confirmedCompromised is critical; else the level
 * (during sign-in, else aggregated) low/medium/high is the severity of that name; atRisk without a visible level
 * (hidden without an Entra ID P2 licence) is medium; a risk Entra closed itself (remediated, dismissed, confirmedSafe)
 * is low, kept for the record.
 */
function vendorRiskOf(props: Rec): RiskSignal | null {
  const level =
    [text(field(props, "riskLevelDuringSignIn")), text(field(props, "riskLevelAggregated"))].find(
      (l) => l && !/^(none|hidden|unknownFutureValue)$/i.test(l),
    ) ?? null;
  const state = text(field(props, "riskState"));
  const atRisk = state !== null && !/^(none|unknownFutureValue)$/i.test(state);
  if (!level && !atRisk) return null;
  const detail = text(field(props, "riskDetail"));
  const severity = /^confirmedCompromised$/i.test(state ?? "")
    ? "critical"
    : state && CLOSED_RISK.test(state)
      ? "low"
      : (severityOfLevel(level) ?? "medium");
  return riskSignal({
    signal: "entra.sign_in_risk",
    label: "Entra sign-in risk",
    severity,
    vendorLevel: level,
    vendorState: state,
    reasons: [
      // Log Analytics / Sentinel spell the column RiskEventTypes_V2 and write the list as JSON text.
      ...["riskEventTypes_v2", "riskEventTypes_V2", "riskEventTypes"].flatMap((k) => listOrJsonText(props, k)).map(text),
      detail && !/^(none|hidden)$/i.test(detail) ? detail : null,
    ],
  });
}

function signInStatus(props: Rec, top: Rec | null): { status: NormalizedEvent["status"]; detail: string | null } {
  const code = text(at(props, "status", "errorCode"));
  const reason = text(at(props, "status", "failureReason"));
  if (code !== null) {
    return { status: code === "0" ? "success" : "failure", detail: code === "0" ? "0" : reason ? `${code}: ${reason}` : code };
  }
  const resultType = top ? text(field(top, "resultType")) : null;
  if (resultType !== null) {
    if (resultType === "0" || /^success/i.test(resultType)) return { status: "success", detail: resultType };
    if (/^\d+$/.test(resultType) || /^fail/i.test(resultType)) return { status: "failure", detail: resultType };
  }
  const sig = top ? text(field(top, "resultSignature")) : null;
  if (sig && /^success$/i.test(sig)) return { status: "success", detail: sig };
  if (sig && /^fail/i.test(sig)) return { status: "failure", detail: sig };
  return { status: "unknown", detail: resultType ?? null };
}

function normalizeSignIn(props: Rec, top: Rec | null): NormalizedEvent {
  const kind = signInKind(props, top);
  const time = eventTime(props, top, "createdDateTime");
  const { status, detail } = signInStatus(props, top);

  const upn = keyText(field(props, "userPrincipalName"));
  const spId = keyText(field(props, "servicePrincipalId"));
  const spName = text(field(props, "servicePrincipalName"));
  const isApp = kind === "servicePrincipal" || kind === "managedIdentity";
  // Service principals and managed identities are workload identities (Entra's own term); userType is ignored.
  const actorKind: ActorKind = isApp ? "workload" : upn || keyText(field(props, "userId")) ? "human" : "unknown";
  const actor = isApp
    ? {
        external_id: spId,
        name: spName ?? text(field(props, "appDisplayName")),
        login: null,
        email: null,
        type: kind,
        kind_hint: actorKind,
      }
    : {
        external_id: keyText(field(props, "userId")),
        name: text(field(props, "userDisplayName")) ?? upn,
        login: upn,
        email: emailShaped(upn),
        type: kind, // Entra's sign-in event type (interactiveUser, nonInteractiveUser); userType (Member/Guest) is in extra
        kind_hint: actorKind,
      };

  // What the sign-in presented (credential) and what it issued (issued_credentials): a successful sign-in
  // issues a token identified by uniqueTokenIdentifier, which later activity (M365 UAL UniqueTokenId) carries;
  // it was obtained with the service principal's secret/certificate (servicePrincipalCredentialKeyId), a
  // refresh token / PRT (incomingTokenType), or the user's first authentication step.
  const tokenId = keyText(field(props, "uniqueTokenIdentifier"));
  const spKeyId = keyText(field(props, "servicePrincipalCredentialKeyId"));
  const clientCredType = keyText(field(props, "clientCredentialType"));
  const spKeyKind: CredentialKind = (clientCredType && CLIENT_CREDENTIAL[clientCredType]) || "unknown";
  const incoming = keyText(field(props, "incomingTokenType"));
  const steps = listAt(props, "authenticationDetails").filter(isRec);
  const none = { parent_key: null, parent_key_type: null, parent_kind: null } as const;
  let credential: Credential | null = null;
  if (spKeyId) {
    credential = { key: spKeyId, key_type: "entra.sp_credential_key_id", kind: spKeyKind, native_type: clientCredType, ...none };
  } else if (incoming && incoming !== "none" && INCOMING_TOKEN[incoming]) {
    credential = { key: null, key_type: null, kind: INCOMING_TOKEN[incoming], native_type: incoming, ...none };
  } else if (!isApp) {
    const first = text(field(steps[0], "authenticationMethod"));
    const kindOfFirst: CredentialKind | null =
      first === null ? null : /^password/i.test(first) ? "password" : STRONG_METHOD.test(first) ? "mfa" : null;
    if (first && kindOfFirst) credential = { key: null, key_type: null, kind: kindOfFirst, native_type: first, ...none };
  }
  const issued: IssuedCredential[] =
    tokenId && status === "success"
      ? [
          {
            key: tokenId,
            key_type: "entra.unique_token_identifier",
            kind: "access_token",
            native_type: "uniqueTokenIdentifier",
            parent_key: spKeyId,
            parent_key_type: spKeyId ? "entra.sp_credential_key_id" : null,
            principal: spId ?? keyText(field(props, "userId")) ?? upn,
            source_identity: null,
            expiration: null,
          },
        ]
      : [];

  const methods = new Set<string>();
  for (const d of steps) {
    const m = text(field(d, "authenticationMethod"));
    if (m) methods.add(m);
  }
  const requirement = text(field(props, "authenticationRequirement"));
  const mfaMethod = text(at(props, "mfaDetail", "authMethod"));
  if (mfaMethod) methods.add(mfaMethod);
  const protocol = text(field(props, "authenticationProtocol"));
  // MFA performed, from what the sign-in did (authenticationDetails, else mfaDetail); the requirement
  // (authenticationRequirement, "an MFA step was required") is policy, kept apart in extra.mfa_required.
  const mfa: boolean | null = isApp ? null : mfaPerformed(steps, mfaMethod);
  const auth: Auth | null =
    methods.size || mfa !== null || (protocol && protocol !== "none")
      ? { factors: [...methods], mfa, protocol: protocol && protocol !== "none" ? protocol : null }
      : null;

  const caStatus = text(field(props, "conditionalAccessStatus"));
  const applied = listAt(props, "appliedConditionalAccessPolicies")
    .filter(isRec)
    .map((p) => ({ id: keyText(field(p, "id")), name: text(field(p, "displayName")), result: text(field(p, "result")) }));
  const enforced = applied
    .filter((p) => p.result === "success" || p.result === "failure")
    .map((p) => p.name ?? p.id)
    .filter((n): n is string => n !== null);
  const policy: EventPolicy | null = caStatus
    ? {
        engine: "entra.conditional_access",
        result: caStatus,
        policy_name: enforced.length ? enforced.join("; ") : null,
        rule_name: null,
        applied,
        decision_id: null,
        path: null,
      }
    : null;

  const loc = recAt(props, "location");
  const location = loc
    ? { city: text(field(loc, "city")), region: text(field(loc, "state")), country: text(field(loc, "countryOrRegion")) }
    : null;
  const resourceId = keyText(field(props, "resourceId"));
  const resourceName = text(field(props, "resourceDisplayName"));
  // The resource a sign-in asks a token for (Microsoft Graph, Exchange Online, Key Vault) is signed in to, not changed.
  const resources: EventResource[] =
    resourceId || resourceName ? [{ type: "resource", id: resourceId, name: resourceName, role: "related" }] : [];
  const appId = keyText(field(props, "appId"));
  const appName = text(field(props, "appDisplayName"));
  const sessionId = keyText(field(props, "sessionId"));
  // The log's own name: the Azure Monitor category when there is one, else the category Microsoft uses for
  // this kind of sign-in (Graph's signInEventTypes vocabulary mapped to the category names).
  const topCategory = top ? text(field(top, "category")) : null;
  const category = (topCategory && /SignInLogs$/.test(topCategory) ? topCategory : null) ?? CATEGORY_OF_KIND[kind] ?? "SignInLogs";

  return {
    schema_version: 1,
    platform: ENTRA_PLATFORM,
    ...ocsfClass(3002),
    // A non-interactive sign-in that presents a refresh token / PRT renews tokens rather than signing in.
    activity: kind === "nonInteractiveUser" && credential?.kind === "refresh_token" ? "token_refresh" : "logon",
    event_name: category,
    time,
    status,
    status_detail: detail,
    message: null,
    actor,
    session: sessionId ? { key: sessionId, key_type: "entra.sessionId", root_key: null, issuer: null } : null,
    credential,
    issued_credentials: issued,
    auth,
    client: appId || appName ? { app_id: appId, app_name: appName } : null,
    src_endpoint: {
      ip: sourceIp(text(field(props, "ipAddress")) ?? (top ? text(field(top, "callerIpAddress")) : null), { loopback: "drop" }),
      location: location && (location.city || location.region || location.country) ? location : null,
    },
    user_agent: text(field(props, "userAgent")),
    resources,
    privileged: false,
    policy,
    jit: null,
    approval: null,
    ...riskField(vendorRiskOf(props)),
    correlation_id: keyText(pick(props, top, "correlationId")),
    native_id: keyText(field(props, "id")),
    extra: extraOf({
      shape: top ? (convertedFrom(top) ? "log-analytics" : "azure-monitor") : "graph",
      category: top ? text(field(top, "category")) : null,
      operationName: top ? text(field(top, "operationName")) : null,
      resultType: top ? text(field(top, "resultType")) : null,
      tenantId: text(pick(props, top, "tenantId")),
      signInEventTypes: listAt(props, "signInEventTypes").length ? listAt(props, "signInEventTypes") : null,
      isInteractive: field(props, "isInteractive"),
      userType: text(field(props, "userType")),
      clientAppUsed: text(field(props, "clientAppUsed")),
      authenticationRequirement: requirement,
      mfa_required: requirement === "multiFactorAuthentication" ? true : requirement === "singleFactorAuthentication" ? false : null,
      uniqueTokenIdentifier: tokenId,
      clientCredentialType: clientCredType,
      incomingTokenType: incoming,
      tokenIssuerType: text(field(props, "tokenIssuerType")),
      managedIdentityType: text(field(props, "managedIdentityType")),
      servicePrincipalId: spId,
      servicePrincipalName: spName,
      servicePrincipalCredentialKeyId: spKeyId,
      servicePrincipalCredentialThumbprint: text(field(props, "servicePrincipalCredentialThumbprint")),
      originalRequestId: text(field(props, "originalRequestId")),
      riskState: text(field(props, "riskState")),
      riskLevelDuringSignIn: text(field(props, "riskLevelDuringSignIn")),
      riskLevelAggregated: text(field(props, "riskLevelAggregated")),
      riskDetail: text(field(props, "riskDetail")),
      riskEventTypes: listAt(props, "riskEventTypes").length ? listAt(props, "riskEventTypes") : null,
      deviceDetail: recAt(props, "deviceDetail"),
      autonomousSystemNumber: field(props, "autonomousSystemNumber"),
      crossTenantAccessType: text(field(props, "crossTenantAccessType")),
      homeTenantId: text(field(props, "homeTenantId")),
      resourceTenantId: text(field(props, "resourceTenantId")),
      failureReason: text(at(props, "status", "failureReason")),
      statusAdditionalDetails: text(at(props, "status", "additionalDetails")),
    }),
  };
}

// --- audit logs --------------------------------------------------------------------------------------------

function additionalDetails(props: Rec): Map<string, string> {
  const m = new Map<string, string>();
  for (const d of listAt(props, "additionalDetails")) {
    const k = text(field(d, "key"));
    const v = text(field(d, "value"));
    if (k && v !== null && !m.has(k)) m.set(k, v);
  }
  return m;
}

function modifiedNames(props: Rec): string[] | null {
  const names: string[] = [];
  for (const t of listAt(props, "targetResources")) {
    for (const m of listAt(t, "modifiedProperties")) {
      const n = text(field(m, "displayName"));
      if (n && !names.includes(n)) names.push(n);
    }
  }
  return names.length ? names : null;
}

function opVerb(operationType: string | null, activity: string): string {
  switch (operationType?.toLowerCase()) {
    case "add":
      return "create";
    case "update":
      return "update";
    case "delete":
      return "delete";
    case "assign":
      return "assign_privileges";
    case "unassign":
      return "revoke_privileges";
  }
  if (/^(add|create|invite|register)/i.test(activity)) return "create";
  if (/^(delete|remove|hard delete)/i.test(activity)) return "delete";
  if (/^(update|set|change|reset|enable|disable|restore)/i.test(activity)) return "update";
  return "other";
}

function classifyAudit(category: string | null, activity: string, operationType: string | null): { uid: OcsfClassUid; activity: string } {
  const a = activity.toLowerCase();
  if (/elevateaccess|elevated their access/.test(a)) return { uid: 3005, activity: "assign_privileges" };
  if (category === "RoleManagement" || /member to role|member from role|role assignment/.test(a)) {
    if (/^add|assign/.test(a)) return { uid: 3005, activity: "assign_privileges" };
    if (/^remove|delete|unassign/.test(a)) return { uid: 3005, activity: "revoke_privileges" };
    return { uid: 3005, activity: opVerb(operationType, activity) };
  }
  if (category === "GroupManagement") {
    if (/^add member to group/.test(a)) return { uid: 3006, activity: "add_user" };
    if (/^remove member from group/.test(a)) return { uid: 3006, activity: "remove_user" };
    return { uid: 3006, activity: opVerb(operationType, activity) };
  }
  if (category === "UserManagement") {
    if (/reset (user )?password/.test(a)) return { uid: 3001, activity: "password_reset" };
    if (/change (user )?password/.test(a)) return { uid: 3001, activity: "password_change" };
    return { uid: 3001, activity: opVerb(operationType, activity) };
  }
  if (/app role assignment|consent to application|permission grant/.test(a)) {
    return { uid: 3005, activity: /^remove|delete|revoke/.test(a) ? "revoke_privileges" : "assign_privileges" };
  }
  return { uid: 6003, activity: opVerb(operationType, activity) };
}

const PRIVILEGED_ACTIVITY =
  /role|credential|certificate|secret|permission|consent|federation|domain authentication|elevate|policy|owner|partner|pim/i;

/** PIM activity names end in a parenthesised flavour: "Add member to role completed (PIM activation)". */
function jitOf(
  activity: string,
  loggedBy: string | null,
  props: Rec,
  resources: EventResource[],
  details: Map<string, string>,
): JitGrant | null {
  if (loggedBy !== "PIM" && !/\bPIM\b/.test(activity)) return null;
  const paren = /\(([^)]*)\)\s*$/.exec(activity);
  const assignment = paren ? paren[1].trim() || null : null;
  const a = activity.toLowerCase();
  let stage: JitGrant["stage"] = "other";
  if (/expired/.test(a)) stage = "expired";
  else if (/requested/.test(a)) stage = "requested";
  else if (/completed/.test(a)) stage = /^remove/.test(a) ? "removed" : "completed";
  const role = resources.find((r) => r.type === "Role");
  const principal = resources.find((r) => r.type === "User" || r.type === "ServicePrincipal" || r.type === "Group");
  const ticketNumber = details.get("TicketNumber") ?? null;
  const ticketSystem = details.get("TicketSystem") ?? null;
  return {
    provider: "entra.pim",
    stage,
    assignment,
    role_id: role?.id ?? details.get("RoleDefinitionOriginId") ?? null,
    role_name: role?.name ?? null,
    principal_id: principal?.id ?? null,
    principal_name: principal?.name ?? null,
    justification: details.get("Justification") ?? text(field(props, "resultReason")),
    ticket: ticketNumber ? (ticketSystem ? `${ticketSystem}:${ticketNumber}` : ticketNumber) : null,
    start_time: details.get("StartTime") ?? null,
    end_time: details.get("ExpirationTime") ?? details.get("EndTime") ?? null,
    request_id: details.get("RequestId") ?? null,
    target_platform: null,
    approved_by: null,
    revoked_time: null,
  };
}

// Microsoft first-party service principals that act for the platform itself in directory audits ("Unknown actors
// in audit reports", learn.microsoft.com/troubleshoot/azure/active-directory/unknown-actors-in-audit-reports):
// Exchange dual-write, Azure Resource Manager, commerce role writer, Exchange Online Protection, license manager.
const MICROSOFT_PLATFORM_APP_IDS = new Set(["98db8bd6-0cc0-4e67-9de5-f187f1cd1b41", "797f4846-ba00-4fd7-ba43-dac1f8f63013"]);
const MICROSOFT_PLATFORM_NAMES = new Set(
  [
    "Microsoft Substrate Management",
    "Windows Azure Service Management API",
    "5MS-CE-CXG-MAC-AadShadowRoleWriter",
    "Microsoft Exchange Online Protection",
    "Microsoft Azure AD Subscription Lifecycle Process",
  ].map((n) => n.toLowerCase()),
);

/** True for a Microsoft first-party principal that writes to the directory as the platform. */
function isMicrosoftPlatformPrincipal(appId: string | null, name: string | null): boolean {
  return (
    (appId !== null && MICROSOFT_PLATFORM_APP_IDS.has(appId.toLowerCase())) ||
    (name !== null && MICROSOFT_PLATFORM_NAMES.has(name.trim().toLowerCase()))
  );
}

/** Credential activities: adding a key/secret/certificate issues a credential, removing one revokes it. */
function credentialVerb(activity: string): string | null {
  const a = activity.toLowerCase();
  if (/^add service principal credentials|^add (application|app) credentials/.test(a)) return "issue_credentials";
  if (/^remove service principal credentials|^remove (application|app) credentials/.test(a)) return "revoke_credentials";
  return null;
}

/** A password reset/change or authentication-method change made by someone on another user's account. */
function credentialOfAnother(activity: string, actorId: string | null, resources: EventResource[]): boolean {
  if (!/password|authentication method|security info/i.test(activity)) return false;
  const user = resources.find((r) => r.type === "User");
  return actorId !== null && !!user?.id && user.id !== actorId;
}

/** Keys added by a credential change, for the service principal / application that is the target. */
function issuedKeysOf(props: Rec, activity: string, resources: EventResource[]): IssuedCredential[] {
  if (!changesKeys(activity)) return [];
  return keysAdded(
    listAt(props, "targetResources").flatMap((t) =>
      listAt(t, "modifiedProperties")
        .filter((m) => /^KeyDescription$/i.test(text(field(m, "displayName")) ?? ""))
        .map((m) => ({
          before: text(field(m, "oldValue")),
          after: text(field(m, "newValue")),
          owner: keyText(field(t, "id")) ?? resources[0]?.id ?? null,
        })),
    ),
  );
}

/**
 * A directoryAudit's targetResources (Graph targetResource: id, displayName, type, userPrincipalName for a User,
 * modifiedProperties). The name is the displayName (the userPrincipalName when there is none); a User's
 * userPrincipalName that differs from both is kept as the object's alternate_id, so a ticket naming the user by UPN
 * (jdoe@contoso.com) names the object acted on.
 */
function targetResourcesOf(props: Rec): EventResource[] {
  const out: EventResource[] = [];
  for (const t of listAt(props, "targetResources")) {
    if (!isRec(t)) continue;
    const type = text(field(t, "type")) ?? "Other";
    const id = keyText(field(t, "id"));
    const upn = keyText(field(t, "userPrincipalName"));
    const name = text(field(t, "displayName")) ?? upn;
    if (!(id || name)) continue;
    out.push(upn !== null && upn !== name && upn !== id ? { type, id, name, alternate_id: upn } : { type, id, name });
  }
  return out;
}

function normalizeAudit(props: Rec, top: Rec | null): NormalizedEvent {
  const activity =
    text(field(props, "activityDisplayName")) ?? text(field(props, "operationName")) ?? (top ? text(field(top, "operationName")) : null);
  if (!activity) throw new NormalizeError("Entra audit record without activityDisplayName/operationName");
  const time = eventTime(props, top, "activityDateTime");
  const topCategory = top ? text(field(top, "category")) : null;
  const category = text(field(props, "category")) ?? (topCategory && topCategory !== "AuditLogs" ? topCategory : null);
  const loggedBy = text(field(props, "loggedByService"));
  const operationType = text(field(props, "operationType"));

  const result = text(field(props, "result")) ?? (top ? text(field(top, "result")) : null);
  const status: NormalizedEvent["status"] = result
    ? /^success/i.test(result)
      ? "success"
      : /^fail/i.test(result)
        ? "failure"
        : "unknown"
    : "unknown";
  const resultReason = text(field(props, "resultReason"));

  const user = recAt(props, "initiatedBy", "user");
  const app = recAt(props, "initiatedBy", "app");
  let actor: NormalizedEvent["actor"];
  let ip: string | null = null;
  if (user && (keyText(field(user, "id")) || keyText(field(user, "userPrincipalName")) || text(field(user, "displayName")))) {
    const upn = keyText(field(user, "userPrincipalName"));
    actor = {
      external_id: keyText(field(user, "id")),
      name: text(field(user, "displayName")) ?? upn,
      login: upn,
      email: emailShaped(upn),
      type: "user",
      kind_hint: "human",
    };
    ip = sourceIp(field(user, "ipAddress"), { loopback: "drop" });
  } else if (app && (keyText(field(app, "servicePrincipalId")) || keyText(field(app, "appId")) || text(field(app, "displayName")))) {
    actor = {
      external_id: keyText(field(app, "servicePrincipalId")) ?? keyText(field(app, "appId")),
      name: text(field(app, "displayName")) ?? text(field(app, "servicePrincipalName")),
      login: null,
      email: null,
      type: "app",
      // A service principal is a workload identity; Microsoft's own first-party principals that write to the
      // directory for the platform (Exchange dual-write, ARM, commerce) are the platform itself.
      kind_hint: isMicrosoftPlatformPrincipal(keyText(field(app, "appId")), text(field(app, "displayName"))) ? "system" : "workload",
    };
  } else {
    actor = {
      external_id: null,
      name: top ? text(field(top, "identity")) : null,
      login: null,
      email: null,
      type: null,
      kind_hint: "unknown",
    };
  }
  ip ??= sourceIp(top ? field(top, "callerIpAddress") : null, { loopback: "drop" });
  const details = additionalDetails(props);
  ip ??= sourceIp(details.get("ipaddr"), { loopback: "drop" });

  const resources = targetResourcesOf(props);

  const classified = classifyAudit(category, activity, operationType);
  const jit = jitOf(activity, loggedBy, props, resources, details);
  const { uid } = classified;
  // A PIM request is not yet a grant.
  const verb = jit?.stage === "requested" && classified.activity === "assign_privileges" ? "request_privileges" : classified.activity;
  const isActivation = !!jit && jit.stage === "completed" && /activation/i.test(jit.assignment ?? "");
  const credential: Credential | null = isActivation
    ? {
        key: jit.request_id,
        key_type: jit.request_id ? "entra.pim_request_id" : null,
        kind: "jit_grant",
        native_type: jit.assignment,
        parent_key: null,
        parent_key_type: null,
        parent_kind: null,
      }
    : null;
  const privileged =
    category === "RoleManagement" ||
    category === "Policy" ||
    loggedBy === "PIM" ||
    loggedBy === "Conditional Access" ||
    PRIVILEGED_ACTIVITY.test(activity) ||
    credentialOfAnother(activity, actor.external_id, resources);
  // The sign-in session the initiator acted in (directoryAudit beta initiatedBy.linkableIdentifiers.sessionId:
  // "links all authentication artifacts issued from a single root authentication"), the sign-in's sessionId.
  const auditSession = keyText(at(props, "initiatedBy", "linkableIdentifiers", "sessionId"));
  const issued = status === "failure" ? [] : issuedKeysOf(props, activity, resources);

  return {
    schema_version: 1,
    platform: ENTRA_PLATFORM,
    ...ocsfClass(uid),
    // A change that adds a key issues a credential (Add service principal credentials, Update application –
    // Certificates and secrets management with a new key); one that only removes keys revokes them.
    activity: issued.length > 0 ? "issue_credentials" : toActivity(credentialVerb(activity) ?? verb),
    event_name: activity,
    time,
    status,
    status_detail: result ? (resultReason ? `${result}: ${resultReason}` : result) : null,
    message: null,
    actor,
    session: auditSession ? { key: auditSession, key_type: "entra.sessionId", root_key: null, issuer: null } : null,
    credential,
    issued_credentials: issued,
    auth: null,
    client: actor.type === "app" ? { app_id: keyText(field(app, "appId")), app_name: text(field(app, "displayName")) } : null,
    src_endpoint: { ip, location: null },
    user_agent: text(field(props, "userAgent")),
    resources,
    privileged,
    policy: null,
    jit,
    approval: null,
    correlation_id: keyText(pick(props, top, "correlationId")),
    native_id: keyText(field(props, "id")),
    extra: extraOf({
      shape: top ? (convertedFrom(top) ? "log-analytics" : "azure-monitor") : "graph",
      category,
      loggedByService: loggedBy,
      operationType,
      operationName: top ? text(field(top, "operationName")) : null,
      identity: top ? text(field(top, "identity")) : null,
      tenantId: text(pick(props, top, "tenantId")),
      resultReason,
      additionalDetails: details.size ? Object.fromEntries(details) : null,
      // targetResources[].modifiedProperties (old/new values, sometimes whole policies) stay in the raw record.
      modifiedPropertyNames: modifiedNames(props),
    }),
  };
}

export function normalizeEntra(input: unknown): NormalizedEvent[] {
  const { record: raw } = unwrapPanther(input, /^(Azure\.|Microsoft365\.)/, "Microsoft Entra ID");
  if (!isRec(raw)) throw new NormalizeError("not a JSON object");
  // A Log Analytics / Sentinel row (SigninLogs, AAD*SignInLogs, AuditLogs) is read as the Azure Monitor record it copies.
  const record = entraRecordOf(raw) ?? raw;
  if (record === raw && logAnalyticsTable(raw) === OFFICE_TABLE) {
    throw new NormalizeError("Log Analytics OfficeActivity row: belongs to the Microsoft 365 (m365) source, not to Entra ID logs", {
      belongsTo: "m365",
    });
  }
  const shape = shapeOf(record);
  return [shape.kind === "signin" ? normalizeSignIn(shape.props, shape.top) : normalizeAudit(shape.props, shape.top)];
}
