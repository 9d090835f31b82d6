import {
  ocsfClass,
  type ActorKind,
  type Credential,
  type CredentialKind,
  type EventResource,
  type IssuedCredential,
  type NormalizedEvent,
  type OcsfClassUid,
  type RiskSignal,
  toActivity,
} from "@/lib/events/schema";
import { NormalizeError, SkipRecord } from "../types";
import { at, boolish, emailShaped, extraOf, field, isRec, keyText, recAt, text, type Rec } from "../util/fields";
import { unwrapPanther } from "../util/panther";
import { riskField, riskSignal } from "../util/risk";
import { sourceIp } from "../util/source-ip";
import { parseTime } from "../util/time";

// Google Workspace Admin SDK Reports API activities (activities.list, any applicationName: login, admin, token,
// drive, saml, user_accounts, groups, …). Two shapes:
//  - the API's own: one activity {kind, id{time, uniqueQualifier, applicationName, customerId}, actor{callerType,
//    email, profileId, key, applicationInfo{oauthClientId, applicationName, impersonation}}, ipAddress,
//    networkInfo, ownerDomain, events[]{type, name, parameters[]{name, value|intValue|boolValue|multiValue|
//    multiIntValue|messageValue|multiMessageValue}, resourceIds}} — one normalized event per events[] entry;
//  - the flattened variant exporters write (Panther GSuite.ActivityEvent): one object per event, with `name`,
//    `type` and `parameters` as an object of name → value at the top level.
// Google writes no session id, no user agent and no token id (../shared/reference/saas-log-fields.md): session
// stays null (correlation groups the activity by its documented heuristic) and nothing is composed in its place.
//
// OAuth: the grant a token event is about is identified by (client_id, user) — the pair Google's own token
// report is keyed by — as the credential key "client_id|profileId-or-email" (key_type google.oauth_grant). The
// kind says what the event did with it: token/authorize mints the grant (issued_credentials, kind oauth_grant),
// token/revoke acts on the grant (kind oauth_grant), token/activity and any event made through an app
// (actor.applicationInfo.oauthClientId) used an access token of that grant (kind access_token; Google logs no
// token id, so the key stays the grant's). An app impersonating the user (applicationInfo.impersonation, i.e.
// domain-wide delegation) holds no per-user grant: its credential is the client itself (key_type
// google.oauth_client, kind access_token). callerType KEY (an API key / OAuth 2LO consumer key, Google's
// `actor.key`) is an API-key actor: kind_hint api_token, credential actor.key (key_type google.actor_key).

export const GOOGLE_PLATFORM = "google-workspace";

type Params = Record<string, unknown>;

/** A message value ({parameter:[…]}) as name → value (nested parameters read the same way). */
function messageOf(v: unknown): unknown {
  const inner = field(v, "parameter");
  return Array.isArray(inner) ? paramsOf(inner) : v;
}

/** parameters[] of the API shape (or the flattened object) as name → value. */
function paramsOf(raw: unknown): Params {
  if (isRec(raw)) return raw;
  const out: Params = {};
  if (!Array.isArray(raw)) return out;
  for (const p of raw) {
    if (!isRec(p)) continue;
    const name = text(field(p, "name"));
    if (!name) continue;
    let v: unknown =
      field(p, "value") ?? field(p, "intValue") ?? field(p, "boolValue") ?? field(p, "multiValue") ?? field(p, "multiIntValue");
    if (v === undefined && field(p, "messageValue") !== undefined) v = messageOf(field(p, "messageValue"));
    if (v === undefined && Array.isArray(field(p, "multiMessageValue")))
      v = (field(p, "multiMessageValue") as unknown[]).slice(0, 50).map(messageOf);
    out[name] = v ?? null;
  }
  return out;
}

const str = (p: Params, k: string) => text(p[k]);
const first = (v: unknown): string | null => (Array.isArray(v) ? text(v[0]) : text(v));
/** A list parameter (multiValue) as a capped list of texts; a single value as a one-element list. */
const list = (v: unknown, cap = 50): string[] | null => {
  const arr = Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
  const out = arr
    .slice(0, cap)
    .map((x) => text(x))
    .filter((x): x is string => x !== null);
  return out.length ? out : null;
};

type Classified = { uid: OcsfClassUid; activity: string };

function classify(app: string, name: string, type: string | null): Classified {
  const n = name.toLowerCase();
  if (app === "login" || app === "saml") {
    if (n.includes("logout")) return { uid: 3002, activity: "logoff" };
    // login_success / login_failure / login_verification, and the account warnings about one login
    // (suspicious_login, suspicious_login_less_secure_app, suspicious_programmatic_login).
    if (n.startsWith("login") || n.includes("login_") || /^suspicious_(programmatic_)?login/.test(n))
      return { uid: 3002, activity: "logon" };
    return { uid: 3001, activity: verb(n) };
  }
  if (app === "token") {
    if (n === "authorize") return { uid: 3005, activity: "token_grant" };
    // The user's grant to the app is withdrawn: its tokens stop working.
    if (n === "revoke") return { uid: 3005, activity: "revoke_credentials" };
    return { uid: 6003, activity: "read" };
  }
  if (app === "drive") {
    // Access changes (who can open the item) are sharing; a download is a download, not an export.
    if (/^change_(user_access|document_visibility|document_access_scope|acl_editors)|^shared_drive_membership_change|share/.test(n))
      return { uid: 6006, activity: "share" };
    if (/^download/.test(n)) return { uid: 6006, activity: "download" };
    return { uid: 6006, activity: verb(n) };
  }
  if (app === "user_accounts") return { uid: 3001, activity: verb(n) };
  if (app === "groups" || app === "groups_enterprise") return { uid: 3006, activity: verb(n) };
  if (app === "admin") {
    // Trusting an OAuth app or giving an API client domain-wide delegation grants it access to the domain's data
    // (ADD_TO_TRUSTED_OAUTH2_APPS, AUTHORIZE_API_CLIENT_ACCESS); licenses give or take product access.
    if (/^(add_to_trusted_oauth2_apps|authorize_api_client_access|user_license_assign|group_license_assign)/.test(n))
      return { uid: 3005, activity: "assign_privileges" };
    if (/^(remove_from_trusted_oauth2_apps|remove_api_client_access|user_license_revoke|group_license_revoke)/.test(n))
      return { uid: 3005, activity: "revoke_privileges" };
    // The Admin console's event types (DELEGATED_ADMIN_SETTINGS, USER_SETTINGS, GROUP_SETTINGS, …) say what changed.
    if (type === "DELEGATED_ADMIN_SETTINGS" || /role|privilege|admin/.test(n))
      return { uid: 3005, activity: /unassign|remove|revoke|delete/.test(n) ? "revoke_privileges" : "assign_privileges" };
    if (type === "USER_SETTINGS" || /user|password/.test(n)) return { uid: 3001, activity: verb(n) };
    if (type === "GROUP_SETTINGS" || /group/.test(n)) return { uid: 3006, activity: verb(n) };
    return { uid: 6003, activity: verb(n) };
  }
  return { uid: 6003, activity: verb(n) };
}

function verb(n: string): string {
  if (/^(create|add|upload|insert|new)/.test(n)) return "create";
  if (/^(delete|remove|trash|unassign|revoke)/.test(n)) return "delete";
  if (/^(view|preview|access|list|search|get)/.test(n)) return "read";
  if (/^(download|export|print)|takeout/.test(n)) return "export";
  return "update";
}

/** Names of events that change privilege or expose data (besides every Admin console change). */
const PRIVILEGED_NAMES =
  /^(authorize|2sv_disable|change_owner|change_document_visibility|change_document_access_scope|change_acl_editors|takeout|download.*admin|export|account_disabled_)/i;

/**
 * Google's own risk signals (Login Audit, type account_warning, and login_success's is_suspicious flag;
 * https://developers.google.com/workspace/admin/reports/v1/appendix/activity/login). Severity mapping: an account
 * Google disabled as hijacked is critical; a government-backed attack warning and an account disabled for a leaked
 * password are high; suspicious logins, the is_suspicious flag and the other account warnings are medium.
 */
const GOOGLE_WARNINGS: Record<string, [label: string, severity: RiskSignal["severity"]]> = {
  account_disabled_hijacked: ["Google disabled a hijacked account", "critical"],
  gov_attack_warning: ["Google government-backed attack warning", "high"],
  account_disabled_password_leak: ["Google disabled an account with a leaked password", "high"],
  account_disabled_spamming: ["Google disabled an account for spamming", "medium"],
  account_disabled_spamming_through_relay: ["Google disabled an account for spamming through a relay", "medium"],
  account_disabled_generic: ["Google disabled an account for suspicious activity", "medium"],
  suspicious_login: ["Google suspicious login", "medium"],
  suspicious_login_less_secure_app: ["Google suspicious login from a less secure app", "medium"],
  suspicious_programmatic_login: ["Google suspicious programmatic login", "medium"],
};

function vendorRiskOf(app: string, name: string, type: string | null, p: Params): RiskSignal | null {
  const warning = app === "login" && (type === "account_warning" || /^suspicious_|hijack|^account_disabled_|^gov_attack/.test(name));
  if (warning) {
    const [label, severity] = GOOGLE_WARNINGS[name] ?? ["Google account warning", "medium"];
    return riskSignal({ signal: `google.${name.replace(/[^a-z0-9_]/g, "_")}`, label, severity, reasons: [name] });
  }
  if (boolish(p.is_suspicious) !== true) return null;
  return riskSignal({
    signal: "google.is_suspicious",
    label: "Google flagged a login as suspicious",
    severity: "medium",
    reasons: ["is_suspicious"],
  });
}
/** Drive visibility values that expose a document beyond the domain's named people. */
const EXPOSED = /public|people_with_link|anyone|shared_externally|external/i;

type ActorFacts = { callerType: string | null; email: string | null; key: string | null; appInfo: Rec | null; appActing: boolean };

function actorKind(a: ActorFacts): ActorKind {
  // callerType KEY with key SYSTEM: Google itself (automatic license, suspension and cleanup actions).
  if (a.callerType === "KEY" && a.key?.toUpperCase() === "SYSTEM") return "system";
  // Domain-wide delegation by a service account (applicationName is its …gserviceaccount.com address).
  if (a.appInfo && /\.gserviceaccount\.com$/i.test(text(field(a.appInfo, "applicationName")) ?? "")) return "service_account";
  // An app acting (through its OAuth client, or impersonating the user by domain-wide delegation).
  if (a.appInfo || a.appActing) return "oauth_app";
  if (a.callerType === "KEY") return "api_token";
  if (a.email && /\.gserviceaccount\.com$/i.test(a.email)) return "service_account";
  if (a.callerType === "USER" || a.email) return "human";
  return "unknown";
}

function resourcesOf(app: string, p: Params, resourceIds: unknown): EventResource[] {
  const out: EventResource[] = [];
  const add = (type: string, id: string | null, name: string | null) => {
    if (id || name) out.push({ type, id, name });
  };
  if (app === "drive") add(`drive:${str(p, "doc_type") ?? "item"}`, str(p, "doc_id"), str(p, "doc_title"));
  // Attachments a rule or message event names (Gmail / rules: attachment_name, attachment_id).
  add("attachment", str(p, "attachment_id"), str(p, "attachment_name"));
  if (app === "token") add("OAuthApp", str(p, "client_id"), str(p, "app_name"));
  if (app === "saml") add("SAMLApp", null, str(p, "application_name"));
  add("User", null, str(p, "USER_EMAIL") ?? str(p, "affected_email_address") ?? str(p, "target_user"));
  add("Role", str(p, "ROLE_ID"), str(p, "ROLE_NAME"));
  add("Group", null, str(p, "GROUP_EMAIL") ?? str(p, "group_email"));
  add("Domain", null, str(p, "DOMAIN_NAME") ?? str(p, "target_domain"));
  add("Application", null, str(p, "APPLICATION_NAME"));
  // Admin audit objects: trusted OAuth apps, API clients given domain-wide delegation (API_CLIENT_NAME is the
  // client id), org units a setting applies to, customer takeout requests, shared drives.
  add("oauth2_app", str(p, "OAUTH2_APP_ID"), str(p, "OAUTH2_APP_NAME"));
  add("api_client", str(p, "API_CLIENT_NAME"), null);
  add("customer_takeout", str(p, "OBFUSCATED_CUSTOMER_TAKEOUT_REQUEST_ID"), null);
  add("org_unit", null, str(p, "ORG_UNIT_NAME"));
  if (app === "drive") add("shared_drive", str(p, "shared_drive_id"), null);
  if (Array.isArray(resourceIds)) for (const r of resourceIds.slice(0, 10)) add("resource", keyText(r), null);
  return out;
}

function one(activity: Rec, ev: Rec, params: Params): NormalizedEvent {
  const id = recAt(activity, "id");
  const app = text(field(id, "applicationName"));
  if (!app) throw new NormalizeError("not a Google Workspace activity: id.applicationName is missing");
  const name = text(field(ev, "name"));
  if (!name) throw new NormalizeError("not a Google Workspace activity: the event has no name");
  const time = parseTime(field(id, "time"), "id.time");
  const actor = recAt(activity, "actor");
  const email = text(field(actor, "email"));
  const profileId = keyText(field(actor, "profileId"));
  const callerType = text(field(actor, "callerType"));
  const key = keyText(field(actor, "key"));
  const appInfo = recAt(actor, "applicationInfo");
  const oauthClientId = keyText(field(appInfo, "oauthClientId"));
  const impersonation = boolish(field(appInfo, "impersonation")) === true;
  const lname = name.toLowerCase();

  // Token events name the app (client_id) whose grant was made, used or revoked; other applications' events made
  // through an app carry it in actor.applicationInfo.
  const clientId = app === "token" ? (keyText(params.client_id) ?? oauthClientId) : oauthClientId;
  const appName =
    app === "token" ? (str(params, "app_name") ?? text(field(appInfo, "applicationName"))) : text(field(appInfo, "applicationName"));
  const tokenUse = app === "token" && lname !== "authorize" && lname !== "revoke"; // activity (and any other use the report adds)
  const who = profileId ?? email;
  const grantKey = clientId && who ? `${clientId}|${who}` : null;
  const nativeType = str(params, "client_type");
  let credential: Credential | null = null;
  const issued: IssuedCredential[] = [];
  const cred = (k: string | null, keyType: string, kind: CredentialKind): Credential => ({
    key: k,
    key_type: k ? keyType : null,
    kind,
    native_type: nativeType,
    parent_key: null,
    parent_key_type: null,
    parent_kind: null,
  });
  if (app === "token" && lname === "authorize") {
    if (grantKey)
      issued.push({
        key: grantKey,
        key_type: "google.oauth_grant",
        kind: "oauth_grant",
        native_type: nativeType,
        parent_key: null,
        parent_key_type: null,
        principal: email ?? profileId,
        source_identity: null,
        expiration: null,
      });
  } else if (app === "token" && lname === "revoke") {
    if (clientId) credential = cred(grantKey, "google.oauth_grant", "oauth_grant");
  } else if (impersonation && clientId) {
    credential = cred(clientId, "google.oauth_client", "access_token");
  } else if (clientId) {
    credential = cred(grantKey, "google.oauth_grant", "access_token");
  } else if (callerType === "KEY" && key && key.toUpperCase() !== "SYSTEM") {
    credential = cred(key, "google.actor_key", "api_token");
  }

  const evType = text(field(ev, "type"));
  const { uid, activity: verbName } = classify(app, name, evType);
  const failed = /failure|fail/i.test(name);
  const status: NormalizedEvent["status"] = failed ? "failure" : /^login_success$|^login_verification$/.test(name) ? "success" : "unknown";
  const loginType = str(params, "login_type");
  const factors = list(params.login_challenge_method) ?? [];
  const is2sv = factors.some((f) => /backup_code|google_authenticator|security_key|idv|internal_two_factor|totp|passkey|prompt/i.test(f));
  const auth =
    app === "login" && (loginType || factors.length)
      ? { factors: factors.length ? factors : loginType ? [loginType] : [], mfa: factors.length ? is2sv : null, protocol: loginType }
      : app === "saml"
        ? { factors: [], mfa: null, protocol: "SAML" }
        : null;
  // How a login authenticated: a Google password, or a SAML assertion from the IdP (login_type); no key exists.
  if (credential === null && app === "login" && loginType) {
    const lk: CredentialKind | null = /password/i.test(loginType) ? "password" : /saml/i.test(loginType) ? "saml_assertion" : null;
    if (lk)
      credential = {
        key: null,
        key_type: null,
        kind: lk,
        native_type: loginType,
        parent_key: null,
        parent_key_type: null,
        parent_kind: null,
      };
  }
  const visibility = first(params.visibility);
  const exposed =
    app === "drive" &&
    (evType === "acl_change" || /visibility|acl|access|share/.test(lname)) &&
    (EXPOSED.test(visibility ?? "") || EXPOSED.test(str(params, "visibility_change") ?? "") || EXPOSED.test(first(params.new_value) ?? ""));
  const privileged = app === "admin" || PRIVILEGED_NAMES.test(name) || exposed;
  const ipAsn = at(activity, "networkInfo", "ipAsn");

  return {
    schema_version: 1,
    platform: GOOGLE_PLATFORM,
    ...ocsfClass(uid),
    activity: toActivity(verbName),
    event_name: name,
    time,
    status,
    status_detail: failed ? (str(params, "login_failure_type") ?? str(params, "failure_type") ?? name) : null,
    message: null,
    actor: {
      external_id: profileId ?? (callerType === "KEY" && key?.toUpperCase() !== "SYSTEM" ? key : null),
      name: email ?? key,
      login: email ?? (callerType === "KEY" ? key : null),
      email: emailShaped(email),
      type: callerType,
      kind_hint: actorKind({ callerType, email, key, appInfo, appActing: tokenUse }),
    },
    session: null, // Google's Reports API has no session id
    credential,
    issued_credentials: issued,
    auth,
    client: clientId || appName ? { app_id: clientId, app_name: appName } : null,
    src_endpoint: {
      ip: sourceIp(field(activity, "ipAddress"), { loopback: "drop" }),
      location: text(at(activity, "networkInfo", "regionCode"))
        ? {
            city: null,
            region: text(at(activity, "networkInfo", "subdivisionCode")),
            country: text(at(activity, "networkInfo", "regionCode")),
          }
        : null,
    },
    user_agent: null,
    resources: resourcesOf(app, params, field(ev, "resourceIds")),
    privileged,
    policy: null,
    jit: null,
    approval: null,
    ...riskField(vendorRiskOf(app, lname, evType, params)),
    correlation_id: keyText(field(id, "uniqueQualifier")),
    native_id: null, // uniqueQualifier is shared by the events of one activity: normalizeGoogle adds the event's place
    extra: extraOf({
      applicationName: app,
      type: evType,
      customerId: keyText(field(id, "customerId")),
      ownerDomain: text(field(activity, "ownerDomain")),
      ipAsn: Array.isArray(ipAsn) ? ipAsn.slice(0, 5) : null,
      impersonation: appInfo ? impersonation : null,
      acting_app: appInfo ? extraOf({ oauthClientId, applicationName: text(field(appInfo, "applicationName")), impersonation }) : null,
      actor_key: key,
      scope: list(params.scope, 60),
      api_name: str(params, "api_name"),
      method_name: str(params, "method_name"),
      product_bucket: first(params.product_bucket),
      visibility,
      old_visibility: str(params, "old_visibility"),
      visibility_change: str(params, "visibility_change"),
      target_user: str(params, "target_user"),
      target_domain: str(params, "target_domain"),
      owner: str(params, "owner"),
      is_suspicious: boolish(params.is_suspicious),
      // Domain-wide delegation: the app (service account) that acted as the user, for "who is behind it".
      initiator:
        impersonation && oauthClientId
          ? { external_id: oauthClientId, name: text(field(appInfo, "applicationName")), login: null, via: "domain_wide_delegation" }
          : null,
      originating_app_id: str(params, "originating_app_id"),
    }),
  };
}

/**
 * An activities.list response page without `items`: the API leaves the array out when a page has no activity (the
 * last page of a listing, or a period without events). https://developers.google.com/workspace/admin/reports/reference/rest/v1/activities/list
 */
export function isEmptyActivitiesPage(r: unknown): boolean {
  return isRec(r) && field(r, "kind") === "admin#reports#activities" && !Array.isArray(field(r, "items")) && field(r, "id") === undefined;
}

export function normalizeGoogle(input: unknown): NormalizedEvent[] {
  const { record } = unwrapPanther(input, /^(GSuite|GoogleWorkspace|Google)\./, "Google Workspace");
  if (!isRec(record)) throw new NormalizeError("not a JSON object");
  if (isEmptyActivitiesPage(record)) {
    throw new SkipRecord(
      `Google Workspace activities.list page without items: an empty page${field(record, "nextPageToken") === undefined ? " (the last page)" : ""}, no activities to read`,
    );
  }
  const events = field(record, "events");
  if (Array.isArray(events)) {
    if (events.length === 0) throw new NormalizeError("Google Workspace activity with no events");
    // An activity is identified by id.time and id.uniqueQualifier ("unique qualifier if multiple events have the same
    // time", activities.list reference) within its application; its events[] by their place in it. Shared by
    // every export of the activity (API page, NDJSON), it lets ingest recognise the same activity twice (issue 14 §6).
    const id = field(record, "id");
    const uq = isRec(id) ? keyText(field(id, "uniqueQualifier")) : null;
    const app = isRec(id) ? keyText(field(id, "applicationName")) : null;
    return events.map((ev, i) => {
      if (!isRec(ev)) throw new NormalizeError("Google Workspace activity: an events[] entry is not an object");
      const e = one(record, ev, paramsOf(field(ev, "parameters")));
      if (uq) e.native_id = `${app ?? ""}/${uq}#${i}`;
      return e;
    });
  }
  // The flattened variant: the event's own fields at the top level.
  if (text(field(record, "name")) === null) throw new NormalizeError("not a Google Workspace activity: neither events[] nor name");
  return [one(record, record, paramsOf(field(record, "parameters")))];
}
