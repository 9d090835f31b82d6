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
import { catalogVerdict } from "../privileged";
import { NormalizeError } from "../types";
import { at, boolish, emailShaped, extraOf, field, ipOrNull, isRec, keyText, listAt, recAt, text } from "../util/fields";
import { unwrapPanther } from "../util/panther";
import { riskField, riskSignal, severityOfLevel } from "../util/risk";
import { sourceIp } from "../util/source-ip";
import { parseTime } from "../util/time";
import { OKTA_PRIVILEGED } from "./privileged";

// Okta System Log (GET /api/v1/logs, LogEvent objects), as the API returns them (JSON array pages) or as
// exported line by line (NDJSON). Field reference: developer.okta.com/docs/reference/api/system-log/ and the
// LogEvent model of Okta's OpenAPI spec; notes in shared/reference/saas-log-fields.md.

export const OKTA_PLATFORM = "okta";

/** Okta actor.type → kind hint. A "User" is a person unless the record shows an API token acted. */
function actorKind(type: string | null, apiTokenId: string | null): ActorKind {
  switch (type) {
    case "User":
      // An SSWS API token acts with its creator's identity: the event was driven by the token, not a session.
      return apiTokenId ? "api_token" : "human";
    case "PublicClientApp": // an OAuth client (actor of token grants, e.g. client_credentials)
    case "AppInstance": // an app integration acting (provisioning, inbound federation)
    case "Client":
      return "oauth_app";
    case "SystemPrincipal": // Okta itself (scheduled jobs, automations)
      return "system";
    default:
      return "unknown"; // e.g. "IP address" for ThreatInsight events: not an identity
  }
}

// authenticationContext.credentialType (LogCredentialType enum) → credential kind.
const CREDENTIAL_TYPE: Record<string, CredentialKind> = {
  PASSWORD: "password",
  OTP: "mfa",
  SMS: "mfa",
  EMAIL: "mfa",
  ASSERTION: "saml_assertion",
  OAUTH2: "oauth_grant",
};

// Factor checks: the event types of a factor verification, and the credential types that are factors.
const MFA_EVENT = /^user\.authentication\.auth_via_mfa$/;
const MFA_CREDENTIAL_TYPES = new Set(["OTP", "SMS", "EMAIL"]);

/** A factor or password change made by someone to another user's account (an admin resetting Bob's factor). */
function onAnotherUser(eventType: string, actorId: string | null, resources: EventResource[]): boolean {
  if (!/^user\.(mfa\.factor|account\.(reset_password|update_password|unlock))/.test(eventType)) return false;
  const user = resources.find((r) => r.type === "User");
  return actorId !== null && user !== undefined && user.id !== null && user.id !== actorId;
}

/**
 * Okta's own risk signals (System Log debugContext.debugData, https://developer.okta.com/docs/reference/api/system-log/
 * and the event types catalog https://developer.okta.com/docs/reference/api/event-types/):
 *  - okta.threat: ThreatInsight / attack events (security.threat.detected, security.attack.*, threatSuspected "true"),
 *    severity medium; security.breached_credential.detected, severity high. Reason: outcome.reason or the event type.
 *  - okta.risk: a risk level (debugData.risk "{reasons=…, level=HIGH}", also on user.risk.detect / user.risk.change),
 *    severity = the level (LOW/MEDIUM/HIGH -> low/medium/high). Reasons: Okta's reasons, the behaviors that fired.
 *  - okta.behavior: behaviors that fired (debugData.behaviors "{New Device=POSITIVE, …}") without a risk level,
 *    severity low: Okta reports them as observations, not a verdict.
 */
function vendorRiskOf(eventType: string, debugData: Record<string, unknown> | null, outcomeReason: string | null): RiskSignal | null {
  const risk = text(field(debugData, "risk"));
  const level = risk ? (/level=([A-Za-z_]+)/.exec(risk)?.[1] ?? null) : null;
  const reasons = risk ? /reasons=(.*?)(?:,\s*(?:level|previousLevel|detectionName)=|}|$)/.exec(risk)?.[1]?.trim() || null : null;
  const detectionName = risk ? /detectionName=(.*?)(?:,\s*[A-Za-z]+=|}|$)/.exec(risk)?.[1]?.trim() || null : null;
  const behaviors = text(field(debugData, "behaviors"));
  const positive = behaviors ? [...behaviors.matchAll(/([^{},=]+)=POSITIVE/g)].map((m) => m[1].trim()) : [];
  const threat = boolish(field(debugData, "threatSuspected")) === true;
  const breached = eventType.startsWith("security.breached_credential.");
  if (breached || threat || /^security\.(threat|attack)\./.test(eventType))
    return riskSignal({
      signal: "okta.threat",
      label: breached ? "Okta breached credential" : "Okta threat detection",
      severity: breached ? "high" : "medium",
      vendorLevel: level,
      reasons: [outcomeReason ?? eventType, reasons, ...positive],
    });
  const severity = severityOfLevel(level);
  if (level)
    return riskSignal({
      signal: "okta.risk",
      label: "Okta risk",
      severity: severity ?? "low",
      vendorLevel: level,
      reasons: [detectionName, ...(reasons ? reasons.split(/,\s*/) : []), ...positive],
    });
  if (positive.length === 0) return null;
  return riskSignal({ signal: "okta.behavior", label: "Okta behavior detection", severity: "low", reasons: positive });
}

type Classified = { uid: OcsfClassUid; activity: string };

function classify(eventType: string, grantType: string | null): Classified {
  const last = eventType.slice(eventType.lastIndexOf(".") + 1);
  // Signing in, a factor verification inside a sign-in, and entering an app (the admin console included) are
  // authentications: OCSF keeps a factor check under Authentication (auth_factors / is_mfa), not Account Change.
  if (eventType === "user.session.start" || eventType.startsWith("user.authentication.") || /^user\.session\.access_/.test(eventType)) {
    return { uid: 3002, activity: "logon" };
  }
  if (eventType === "user.session.end") return { uid: 3002, activity: "logoff" };
  if (eventType === "policy.evaluate_sign_on") return { uid: 3002, activity: "policy_evaluation" };
  if (/^app\.oauth2\..*token\.(grant|revoke)/.test(eventType)) {
    if (last === "revoke") return { uid: 3002, activity: "token_revoke" };
    // debugData.grantType refresh_token: a new access token from a refresh token (not a new grant).
    return { uid: 3002, activity: grantType?.toLowerCase() === "refresh_token" ? "token_refresh" : "token_grant" };
  }
  // A user's consent to an OAuth client's scopes (app.oauth2.as.consent.grant / .revoke).
  if (/^app\.oauth2\..*consent\./.test(eventType)) return { uid: 3005, activity: last === "grant" ? "consent" : "revoke_privileges" };
  // Okta Support impersonation access granted/revoked by the org (user.session.impersonation.grant / revoke).
  if (eventType.startsWith("user.session.impersonation.")) {
    if (last === "grant") return { uid: 3005, activity: "assign_privileges" };
    if (last === "revoke" || last === "expire") return { uid: 3005, activity: "revoke_privileges" };
    return { uid: 3002, activity: last === "initiate" ? "impersonate" : verb(last) };
  }
  // API tokens (system.api_token.create / revoke): credentials minted or withdrawn.
  if (eventType === "system.api_token.create") return { uid: 3001, activity: "issue_credentials" };
  if (eventType === "system.api_token.revoke") return { uid: 3001, activity: "revoke_credentials" };
  if (eventType.startsWith("user.account.privilege.") || eventType.startsWith("group.privilege.")) {
    return { uid: 3005, activity: last === "grant" ? "assign_privileges" : "revoke_privileges" };
  }
  if (eventType === "access.request.create") return { uid: 3005, activity: "request_privileges" };
  if (eventType === "access.request.resolve") return { uid: 3005, activity: "assign_privileges" };
  if (eventType.startsWith("application.user_membership.")) {
    return { uid: 3005, activity: last === "add" ? "assign_privileges" : last === "remove" ? "revoke_privileges" : verb(last) };
  }
  if (eventType.startsWith("group.user_membership."))
    return { uid: 3006, activity: last === "add" ? "add_user" : last === "remove" ? "remove_user" : verb(last) };
  if (eventType.startsWith("group.")) return { uid: 3006, activity: verb(last) };
  if (eventType === "user.account.reset_password") return { uid: 3001, activity: "password_reset" };
  if (eventType === "user.account.update_password") return { uid: 3001, activity: "password_change" };
  if (eventType.startsWith("user.mfa.factor."))
    return {
      uid: 3001,
      activity: last === "activate" ? "mfa_enable" : last === "deactivate" || last.startsWith("reset") ? "mfa_disable" : verb(last),
    };
  // User lifecycle transitions (activate, deactivate, suspend, unsuspend, reactivate) change the account's state;
  // only create and delete make or remove the account (Okta event types user.lifecycle.*).
  if (eventType.startsWith("user.lifecycle."))
    return { uid: 3001, activity: last === "create" ? "create" : last === "delete" ? "delete" : "update" };
  if (eventType.startsWith("user.account.") || eventType.startsWith("system.api_token.")) {
    return { uid: 3001, activity: verb(last) };
  }
  if (eventType.startsWith("security.threat.")) return { uid: 2004, activity: "detect" };
  return { uid: 6003, activity: verb(last) };
}

function verb(word: string): string {
  const w = word
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
  if (/^(create|add|grant|activate|enroll|start|new)/.test(w)) return "create";
  if (/^(delete|remove|revoke|deactivate|destroy|end|unassign)/.test(w)) return "delete";
  if (/^(update|change|modify|reset|set|edit)/.test(w)) return "update";
  if (/^(read|show|view|get|list|access)/.test(w)) return "read";
  return /^[a-z]/.test(w) ? w : "other";
}

function statusOf(result: string | null): NormalizedEvent["status"] {
  switch (result?.toUpperCase()) {
    case "SUCCESS":
    case "ALLOW":
      return "success";
    case "FAILURE":
    case "DENY":
      return "failure";
    default:
      return "unknown"; // CHALLENGE, SKIPPED, UNANSWERED, UNKNOWN: the step neither passed nor failed
  }
}

/** The request's IP chain as a list of addresses (proxies in front of the client), when it has more than one. */
function ipChainOf(chain: unknown[]): string[] | null {
  const ips = chain.map((c) => ipOrNull(text(field(c, "ip")))).filter((ip): ip is string => ip !== null);
  return ips.length > 1 ? ips : null;
}

/**
 * Okta's LogTarget: id, type, displayName and alternateId ("the alternate ID of the target": a User's login such as
 * jdoe@example.com, an AppInstance's label). The name is the displayName (the alternateId when there is none); an
 * alternateId that differs from it is kept as the object's alternate_id, so a ticket naming the user by login names
 * the object acted on. Okta writes "unknown" there when a target has none (Token, AuthenticatorEnrollment): not kept.
 */
function resourcesOf(targets: unknown[]): EventResource[] {
  const out: EventResource[] = [];
  for (const t of targets) {
    if (!isRec(t)) continue;
    const type = text(field(t, "type"));
    const id = keyText(field(t, "id"));
    const alternate = keyText(field(t, "alternateId")); // keyText drops Okta's "unknown"
    const name = text(field(t, "displayName")) ?? alternate;
    if (!type || !(id || name)) continue;
    out.push(
      alternate !== null && alternate !== name && alternate !== id ? { type, id, name, alternate_id: alternate } : { type, id, name },
    );
  }
  return out;
}

// Okta Identity Governance Access Requests (event types access.request.create / resolve / reject / cancel /
// expire in Okta's event-type catalog; time-bound access is granted through them, Okta Privileged Access
// included). The request (create) and its fulfilment (resolve) are JIT stages; reject, cancel and expire end a
// request that granted nothing ("other"). Targets name the requester (User), the requested group/app and the
// request itself; the System Log carries no grant start/end, so those stay null.
function jitOf(
  eventType: string,
  resources: EventResource[],
  actorLogin: string | null,
  actorType: string | null,
  outcome: string | null,
): JitGrant | null {
  if (!eventType.startsWith("access.request.") || /^access\.request\.(condition|sequence|settings)\./.test(eventType)) return null;
  const failed = outcome !== null && outcome.toUpperCase() === "FAILURE";
  const stage: JitGrant["stage"] = failed
    ? "other"
    : eventType === "access.request.create"
      ? "requested"
      : eventType === "access.request.resolve"
        ? "completed"
        : "other";
  const principal = resources.find((r) => r.type === "User");
  const granted = resources.find((r) => r.type !== "User" && !/request/i.test(r.type));
  const request = resources.find((r) => /request/i.test(r.type));
  return {
    provider: "okta.access_request",
    stage,
    assignment: null,
    role_id: granted?.id ?? null,
    role_name: granted?.name ?? null,
    principal_id: principal?.id ?? null,
    principal_name: principal?.name ?? null,
    justification: null,
    ticket: null,
    start_time: null,
    end_time: null,
    request_id: request?.id ?? null,
    target_platform: null,
    // The admin who resolved the request (Okta's description of the resolve event's actor).
    approved_by: stage === "completed" && actorType === "User" ? actorLogin : null,
    revoked_time: null,
  };
}

/** system.api_token.create: the new SSWS token is the event's Token target (id 00T…, displayName = its name). */
function issuedOf(eventType: string, resources: EventResource[], actorLogin: string | null): IssuedCredential[] {
  if (eventType !== "system.api_token.create") return [];
  const token = resources.find((r) => r.type === "Token" && r.id !== null);
  if (!token?.id) return [];
  return [
    {
      key: token.id,
      key_type: "okta.api_token_id",
      kind: "api_token",
      native_type: "SSWS",
      parent_key: null,
      parent_key_type: null,
      principal: actorLogin,
      source_identity: null,
      expiration: null,
    },
  ];
}

export function normalizeOkta(input: unknown): NormalizedEvent[] {
  const { record } = unwrapPanther(input, /^Okta\./, "Okta System Log");
  if (!isRec(record)) throw new NormalizeError("not a JSON object");
  const eventType = text(field(record, "eventType"));
  if (!eventType) throw new NormalizeError("not an Okta System Log event: eventType is missing");
  const time = parseTime(field(record, "published"), "published");

  const actor = recAt(record, "actor");
  const client = recAt(record, "client");
  const authn = recAt(record, "authenticationContext");
  const debugData = recAt(record, "debugContext", "debugData");
  const transaction = recAt(record, "transaction");
  const outcome = recAt(record, "outcome");
  const targets = listAt(record, "target");

  // The API token a request used: transaction.detail.requestApiTokenId (LogTransaction docs); some orgs show
  // it in debugData instead.
  const apiTokenId = keyText(at(transaction, "detail", "requestApiTokenId")) ?? keyText(field(debugData, "requestApiTokenId"));
  const actorType = text(field(actor, "type"));
  const login = keyText(field(actor, "alternateId"));

  const credentialType = text(field(authn, "credentialType"));
  const credentialProvider = text(field(authn, "credentialProvider"));
  const grantType = text(field(debugData, "grantType"));
  const outcomeResult = text(field(outcome, "result"));
  const status = statusOf(outcomeResult);
  // The factor of a factor check: credentialType when it is a factor type, else debugData.factor (Okta writes
  // the factor there for Okta Verify push, WebAuthn/FIDO2, Duo, Google Authenticator, …, with no credentialType).
  const factor = text(field(debugData, "factor"));
  const mfaEvent = MFA_EVENT.test(eventType) || (credentialType !== null && MFA_CREDENTIAL_TYPES.has(credentialType.toUpperCase()));
  const oauthClientActor = actorType === "PublicClientApp" || actorType === "Client" || actorType === "AppInstance";
  const clientIdRaw = keyText(field(client, "id"));
  const none = { parent_key: null, parent_key_type: null, parent_kind: null } as const;
  let credential: Credential | null = null;
  if (apiTokenId) {
    credential = { key: apiTokenId, key_type: "okta.api_token_id", kind: "api_token", native_type: "SSWS", ...none };
  } else if (mfaEvent) {
    credential = { key: null, key_type: null, kind: "mfa", native_type: credentialType ?? factor, ...none };
  } else if (credentialType) {
    credential = {
      key: null,
      key_type: null,
      kind: CREDENTIAL_TYPE[credentialType.toUpperCase()] ?? "unknown",
      native_type: credentialType,
      ...none,
    };
  } else if (grantType?.toLowerCase() === "refresh_token") {
    // Okta logs no token id: the kind says a refresh token was presented.
    credential = { key: null, key_type: null, kind: "refresh_token", native_type: grantType, ...none };
  } else if (oauthClientActor && clientIdRaw) {
    // An OAuth client acting on its own (client_credentials, or the management API with its token): the
    // client's registration is the credential the actor holds (client.id).
    credential = { key: clientIdRaw, key_type: "okta.client_id", kind: "oauth_app", native_type: grantType, ...none };
  } else if (grantType) {
    credential = { key: null, key_type: null, kind: "oauth_grant", native_type: grantType, ...none };
  }

  const factors = [...new Set([credentialType, mfaEvent ? factor : null].filter((f): f is string => f !== null))];
  // credentialProvider (OKTA_CREDENTIAL_PROVIDER, DUO, RSA, …) names who holds the credential, not a protocol:
  // it stays in extra. The protocol is the issuer's type when Okta records one (SAML2, OIDC for inbound IdPs).
  const issuerType = keyText(at(authn, "issuer", "type"));
  const auth: Auth | null =
    factors.length > 0 || issuerType || mfaEvent
      ? {
          factors,
          // A factor check shows MFA performed when it succeeded and not performed when it failed; a password
          // sign-in (user.session.start) alone says nothing: Okta logs the factor as its own event.
          mfa: mfaEvent ? (status === "success" ? true : status === "failure" ? false : null) : null,
          protocol: issuerType,
        }
      : null;

  const sessionKey = keyText(field(authn, "externalSessionId"));
  const resources = resourcesOf(targets);

  // The client application: Okta's client.id (an OAuth client) when present; otherwise the AppInstance the
  // event is about (the app signed into by user.authentication.sso).
  const clientId = clientIdRaw;
  const appTarget = resources.find((r) => r.type === "AppInstance" && (clientId === null || r.id === clientId)) ?? null;
  const clientApp = clientId
    ? { app_id: clientId, app_name: appTarget?.name ?? null }
    : appTarget
      ? { app_id: appTarget.id, app_name: appTarget.name }
      : null;

  const outcomeReason = text(field(outcome, "reason"));
  let policy: EventPolicy | null = null;
  if (eventType === "policy.evaluate_sign_on" && outcomeResult) {
    const policyTarget = resources.find((r) => r.type === "PolicyEntity");
    const ruleTarget = resources.find((r) => r.type === "PolicyRule");
    policy = {
      engine: "okta.sign_on_policy",
      result: outcomeResult,
      policy_name: policyTarget?.name ?? null,
      rule_name: ruleTarget?.name ?? null,
      applied:
        policyTarget || ruleTarget
          ? [
              {
                id: ruleTarget?.id ?? policyTarget?.id ?? null,
                name: ruleTarget?.name ?? policyTarget?.name ?? null,
                result: outcomeResult,
              },
            ]
          : [],
      decision_id: null,
      path: null,
    };
  }

  const geo = recAt(client, "geographicalContext");
  const location = geo ? { city: text(field(geo, "city")), region: text(field(geo, "state")), country: text(field(geo, "country")) } : null;
  const { uid, activity } = classify(eventType, grantType);
  const issuerId = keyText(at(authn, "issuer", "id"));
  const rawUa = keyText(at(client, "userAgent", "rawUserAgent"));

  const event: NormalizedEvent = {
    schema_version: 1,
    platform: OKTA_PLATFORM,
    ...ocsfClass(uid),
    activity: toActivity(activity),
    event_name: eventType,
    time,
    status,
    status_detail: outcomeResult ? (outcomeReason ? `${outcomeResult}: ${outcomeReason}` : outcomeResult) : null,
    message: text(field(record, "displayMessage")),
    actor: {
      external_id: keyText(field(actor, "id")),
      name: text(field(actor, "displayName")) ?? login,
      login,
      email: emailShaped(login),
      type: actorType,
      kind_hint: actorKind(actorType, apiTokenId),
    },
    session: sessionKey
      ? { key: sessionKey, key_type: "okta.externalSessionId", root_key: keyText(field(authn, "rootSessionId")), issuer: issuerId }
      : null,
    credential,
    issued_credentials: issuedOf(eventType, resources, login),
    auth,
    client: clientApp && (clientApp.app_id || clientApp.app_name) ? clientApp : null,
    src_endpoint: {
      ip: sourceIp(field(client, "ipAddress"), { loopback: "drop" }),
      location: location && (location.city || location.region || location.country) ? location : null,
    },
    user_agent: rawUa,
    resources,
    privileged:
      catalogVerdict(OKTA_PRIVILEGED, eventType) === "privileged" || onAnotherUser(eventType, keyText(field(actor, "id")), resources),
    policy,
    jit: jitOf(eventType, resources, login, actorType, outcomeResult),
    approval: null,
    ...riskField(vendorRiskOf(eventType, debugData, outcomeReason)),
    correlation_id: keyText(field(transaction, "id")),
    native_id: keyText(field(record, "uuid")),
    // Small evidence fields only: bulky structures (ipChain, device context, raw security data) stay in the
    // raw record, which the ledger keeps byte for byte.
    extra: extraOf({
      legacyEventType: text(field(record, "legacyEventType")),
      severity: text(field(record, "severity")),
      transactionType: text(field(transaction, "type")),
      requestId: text(field(debugData, "requestId")),
      requestUri: text(field(debugData, "requestUri")),
      dtHash: text(field(debugData, "dtHash")),
      behaviors: field(debugData, "behaviors"),
      risk: field(debugData, "risk"),
      threatSuspected: boolish(field(debugData, "threatSuspected")),
      grantType,
      grantedScopes: text(field(debugData, "grantedScopes")),
      authenticationStep: field(authn, "authenticationStep"),
      authenticationProvider: text(field(authn, "authenticationProvider")),
      credentialProvider,
      factor,
      device: text(field(client, "device")),
      zone: keyText(field(client, "zone")),
      asNumber: field(recAt(record, "securityContext"), "asNumber"),
      asOrg: text(at(record, "securityContext", "asOrg")),
      isp: text(at(record, "securityContext", "isp")),
      isProxy: boolish(at(record, "securityContext", "isProxy")),
      ipChain: ipChainOf(listAt(record, "request", "ipChain")),
      deviceId: keyText(at(record, "device", "id")),
    }),
  };
  return [event];
}
