import { ocsfClass, type ActorKind, type Credential, type EventResource, type IssuedCredential, type NormalizedEvent, type OcsfClassUid } from "@/lib/events/schema";
import { NormalizeError } from "../types";
import { at, boolish, emailShaped, extraOf, field, ipOrNull, isRec, keyText, recAt, text, type Rec } from "../util/fields";
import { unwrapPanther } from "../util/panther";
import { parseTime } from "../util/time";

// Google Workspace Admin SDK Reports API activities (activities.list, any applicationName: login, admin, token,
// drive, saml, user_accounts, groups, …). Two shapes:
//  - the API's own: one activity {kind, id{time, uniqueQualifier, applicationName, customerId}, actor{callerType,
//    email, profileId, key, applicationInfo{oauthClientId, applicationName, impersonation}}, ipAddress,
//    networkInfo, ownerDomain, events[]{type, name, parameters[]{name, value|intValue|boolValue|multiValue|
//    multiIntValue|messageValue}, resourceIds}} — one normalized event per events[] entry;
//  - the flattened variant exporters write (Panther GSuite.ActivityEvent): one object per event, with `name`,
//    `type` and `parameters` as an object of name → value at the top level.
// Google writes no session id, no user agent and no token id (../shared/reference/saas-log-fields.md): session
// stays null (correlation groups the activity by its documented heuristic). The OAuth grant a token event is
// about is identified by (client_id, user) — the pair Google's own token report is keyed by — as the credential
// key "client_id|profileId-or-email" (key_type google.oauth_grant).

export const GOOGLE_PLATFORM = "google-workspace";

type Params = Record<string, unknown>;

/** parameters[] of the API shape (or the flattened object) as name → value. */
function paramsOf(raw: unknown): Params {
  if (isRec(raw)) return raw;
  const out: Params = {};
  if (!Array.isArray(raw)) return out;
  for (const p of raw) {
    if (!isRec(p)) continue;
    const name = text(field(p, "name"));
    if (!name) continue;
    const v =
      field(p, "value") ?? field(p, "intValue") ?? field(p, "boolValue") ?? field(p, "multiValue") ?? field(p, "multiIntValue") ?? field(p, "messageValue");
    out[name] = v ?? null;
  }
  return out;
}

const str = (p: Params, k: string) => text(p[k]);
const first = (v: unknown): string | null => (Array.isArray(v) ? text(v[0]) : text(v));

type Classified = { uid: OcsfClassUid; activity: string };

function classify(app: string, name: string): Classified {
  const n = name.toLowerCase();
  if (app === "login" || app === "saml") {
    if (n.includes("logout")) return { uid: 3002, activity: "logoff" };
    if (n.startsWith("login") || n.includes("login_")) return { uid: 3002, activity: "logon" };
    return { uid: 3001, activity: verb(n) };
  }
  if (app === "token") {
    if (n === "authorize") return { uid: 3005, activity: "token_grant" };
    if (n === "revoke") return { uid: 3005, activity: "revoke_privileges" };
    return { uid: 6003, activity: "read" };
  }
  if (app === "drive") return { uid: 6006, activity: verb(n) };
  if (app === "user_accounts") return { uid: 3001, activity: verb(n) };
  if (app === "groups" || app === "groups_enterprise") return { uid: 3006, activity: verb(n) };
  if (app === "admin") {
    if (/role|privilege|admin/.test(n)) return { uid: 3005, activity: /unassign|remove|revoke|delete/.test(n) ? "revoke_privileges" : "assign_privileges" };
    if (/user/.test(n)) return { uid: 3001, activity: verb(n) };
    return { uid: 6003, activity: verb(n) };
  }
  return { uid: 6003, activity: verb(n) };
}

function verb(n: string): string {
  if (/^(create|add|upload|insert|new)/.test(n)) return "create";
  if (/^(delete|remove|trash|unassign|revoke)/.test(n)) return "delete";
  if (/^(view|preview|access|list|search|get)/.test(n)) return "read";
  if (/^(download|export|print|takeout)/.test(n)) return "export";
  return "update";
}

/** Names of events that change privilege or expose data (besides every Admin console change). */
const PRIVILEGED_NAMES = /^(authorize|2sv_disable|change_owner|change_document_visibility|change_acl_editors|takeout|download.*admin|export)/i;

function actorKind(callerType: string | null, email: string | null, key: string | null, appInfo: Rec | null): ActorKind {
  if (appInfo) return boolish(field(appInfo, "impersonation")) === true ? "service_account" : "oauth_app";
  if (callerType === "KEY") return key === "SYSTEM" ? "system" : "service_account";
  if (email && /\.gserviceaccount\.com$/i.test(email)) return "service_account";
  if (callerType === "USER" || email) return "human";
  return "unknown";
}

function resourcesOf(app: string, p: Params, resourceIds: unknown): EventResource[] {
  const out: EventResource[] = [];
  const add = (type: string, id: string | null, name: string | null) => {
    if (id || name) out.push({ type, id, name });
  };
  if (app === "drive") add(`drive:${str(p, "doc_type") ?? "item"}`, str(p, "doc_id"), str(p, "doc_title"));
  if (app === "token") add("OAuthApp", str(p, "client_id"), str(p, "app_name"));
  if (app === "saml") add("SAMLApp", null, str(p, "application_name"));
  add("User", null, str(p, "USER_EMAIL") ?? str(p, "affected_email_address"));
  add("Role", str(p, "ROLE_ID"), str(p, "ROLE_NAME"));
  add("Group", null, str(p, "GROUP_EMAIL") ?? str(p, "group_email"));
  add("Domain", null, str(p, "DOMAIN_NAME"));
  add("Application", null, str(p, "APPLICATION_NAME"));
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
  const impersonation = boolish(field(appInfo, "impersonation"));

  // Token events name the app (client_id) whose grant was made, used or revoked; other applications' events made
  // through an app carry it in actor.applicationInfo.
  const clientId = app === "token" ? (keyText(params.client_id) ?? oauthClientId) : oauthClientId;
  const appName = app === "token" ? (str(params, "app_name") ?? text(field(appInfo, "applicationName"))) : text(field(appInfo, "applicationName"));
  const who = profileId ?? email;
  const grantKey = clientId && who ? `${clientId}|${who}` : null;
  let credential: Credential | null = null;
  const issued: IssuedCredential[] = [];
  if (grantKey && app === "token" && name === "authorize") {
    issued.push({ key: grantKey, key_type: "google.oauth_grant", kind: "oauth_grant", native_type: str(params, "client_type"), parent_key: null, parent_key_type: null, principal: email, source_identity: null, expiration: null });
  } else if (grantKey) {
    credential = { key: grantKey, key_type: "google.oauth_grant", kind: "oauth_grant", native_type: str(params, "client_type"), parent_key: null, parent_key_type: null, parent_kind: null };
  }

  const { uid, activity: verbName } = classify(app, name);
  const failed = /failure|fail/i.test(name);
  const status: NormalizedEvent["status"] = failed ? "failure" : /^login_success$|^login_verification$/.test(name) ? "success" : "unknown";
  const loginType = str(params, "login_type");
  const challenge = params.login_challenge_method;
  const factors = (Array.isArray(challenge) ? challenge : challenge ? [challenge] : []).map((c) => text(c)).filter((c): c is string => c !== null);
  const is2sv = factors.some((f) => /backup_code|google_authenticator|security_key|idv|internal_two_factor|totp|passkey|prompt/i.test(f));
  const auth =
    app === "login" && (loginType || factors.length)
      ? { factors: factors.length ? factors : loginType ? [loginType] : [], mfa: factors.length ? is2sv : null, protocol: loginType }
      : app === "saml"
        ? { factors: [], mfa: null, protocol: "SAML" }
        : null;
  const privileged = app === "admin" || PRIVILEGED_NAMES.test(name) || (app === "drive" && /public|people_with_link|anyone/i.test(first(params.visibility) ?? "") && /visibility|acl|access/.test(name));

  return {
    schema_version: 1,
    platform: GOOGLE_PLATFORM,
    ...ocsfClass(uid),
    activity: verbName,
    event_name: name,
    time,
    status,
    status_detail: failed ? (str(params, "login_failure_type") ?? str(params, "failure_type") ?? name) : null,
    message: null,
    actor: { external_id: profileId ?? key, name: email ?? key, login: email, email: emailShaped(email), type: callerType, kind_hint: actorKind(callerType, email, key, appInfo) },
    session: null,
    credential,
    issued_credentials: issued,
    auth,
    client: clientId || appName ? { app_id: clientId, app_name: appName } : null,
    src_endpoint: { ip: ipOrNull(text(field(activity, "ipAddress"))), location: text(at(activity, "networkInfo", "regionCode")) ? { city: null, region: text(at(activity, "networkInfo", "subdivisionCode")), country: text(at(activity, "networkInfo", "regionCode")) } : null },
    user_agent: null,
    resources: resourcesOf(app, params, field(ev, "resourceIds")),
    privileged,
    policy: null,
    jit: null,
    approval: null,
    correlation_id: keyText(field(id, "uniqueQualifier")),
    native_id: null, // uniqueQualifier is shared by the events of one activity: it groups, it does not identify
    extra: extraOf({
      applicationName: app,
      type: text(field(ev, "type")),
      customerId: keyText(field(id, "customerId")),
      ownerDomain: text(field(activity, "ownerDomain")),
      impersonation,
      scope: Array.isArray(params.scope) ? params.scope.slice(0, 50) : first(params.scope),
      visibility: first(params.visibility),
      owner: str(params, "owner"),
      is_suspicious: boolish(params.is_suspicious),
      originating_app_id: str(params, "originating_app_id"),
    }),
  };
}

export function normalizeGoogle(input: unknown): NormalizedEvent[] {
  const { record } = unwrapPanther(input, /^(GSuite|GoogleWorkspace|Google)\./, "Google Workspace");
  if (!isRec(record)) throw new NormalizeError("not a JSON object");
  const events = field(record, "events");
  if (Array.isArray(events)) {
    if (events.length === 0) throw new NormalizeError("Google Workspace activity with no events");
    return events.map((ev) => {
      if (!isRec(ev)) throw new NormalizeError("Google Workspace activity: an events[] entry is not an object");
      return one(record, ev, paramsOf(field(ev, "parameters")));
    });
  }
  // The flattened variant: the event's own fields at the top level.
  if (text(field(record, "name")) === null) throw new NormalizeError("not a Google Workspace activity: neither events[] nor name");
  return [one(record, record, paramsOf(field(record, "parameters")))];
}
