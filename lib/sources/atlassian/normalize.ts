import { ocsfClass, type Credential, type EventResource, type IssuedCredential, type NormalizedEvent, type OcsfClassUid } from "@/lib/events/schema";
import { NormalizeError } from "../types";
import { at, emailShaped, extraOf, field, ipOrNull, isRec, keyText, listAt, recAt, text, type Rec } from "../util/fields";
import { unwrapPanther } from "../util/panther";
import { parseTime } from "../util/time";

// Atlassian audit logs, two shapes:
//  - the organization audit log (Atlassian Guard; Organizations REST API GET /admin/v1/orgs/{orgId}/events, page
//    {"data": [...], "links", "meta"}, which the reader splits): each event {id, type: "events", attributes
//    {time, action, actor {id, name, email, auth {authType, tokenId, tokenLabel}, onBehalfOf, links}, context[],
//    container[], location {ip, geo, countryName, regionName, city}}, links, message {content, format}}.
//    Panther's copies (Atlassian.Audit) are accepted.
//  - Jira Cloud auditing records (GET /rest/api/3/auditing/record: {"offset", "limit", "total", "records": [...]}):
//    {id, summary, remoteAddress, authorKey, authorAccountId, created, category, eventSource, description,
//    objectItem {id, name, typeName}, changedValues[], associatedItems[]}.
// Neither carries a session id (session stays null), a user agent or an OAuth client. The org log's actor.auth
// (an API token / API key acting) is the credential.

export const ATLASSIAN_PLATFORM = "atlassian";

/** An org audit log event: attributes.action (and a time) under `attributes`. */
export function isOrgEvent(r: unknown): r is Rec {
  const a = recAt(r, "attributes");
  return a !== null && typeof field(a, "action") === "string" && field(a, "time") !== undefined;
}

/** A Jira Cloud auditing record: summary + created + at least one field only these records have. */
export function isJiraAuditRecord(r: unknown): r is Rec {
  return (
    isRec(r) &&
    typeof field(r, "summary") === "string" &&
    field(r, "created") !== undefined &&
    field(r, "fields") === undefined && // a Jira issue has fields{summary, created}, not these at the top
    (isRec(field(r, "objectItem")) || field(r, "authorAccountId") !== undefined || field(r, "authorKey") !== undefined || Array.isArray(field(r, "changedValues")) || Array.isArray(field(r, "associatedItems")))
  );
}

// Org audit log actions that change or use privilege: impersonation, API tokens/keys, product access, roles,
// admins, groups' permissions, policies (authentication, data security, IP allowlists), SSO/SCIM/domains, exports.
const ORG_PRIVILEGED =
  /impersonat|logged_in_as_user|api_(token|key)|token_(created|revoked)|product_access|role|admin|permission|polic(y|ies)|saml|sso|scim|identity_provider|domain|allowlist|data_residency|export|two_step|2fa|mfa|user_added_to_group|group_member|access_granted|access_revoked/i;

function orgClass(action: string): { uid: OcsfClassUid; activity: string } {
  if (/logged_in_as_user|impersonat/i.test(action)) return { uid: 3002, activity: "impersonate" };
  if (/(^|_)(login|logged_in)(_|$)/i.test(action)) return { uid: 3002, activity: "logon" };
  if (/(^|_)(logout|logged_out)(_|$)/i.test(action)) return { uid: 3002, activity: "logoff" };
  if (/(api_(token|key)|token)_(created|generated)|^(create|created)_api_(token|key)/i.test(action)) return { uid: 3001, activity: "issue_credentials" };
  if (/(api_(token|key)|token)_(revoked|deleted)/i.test(action)) return { uid: 3001, activity: "revoke_credentials" };
  if (/group/i.test(action)) return { uid: 3006, activity: /added|add_/i.test(action) ? "add_user" : /removed|remove_/i.test(action) ? "remove_user" : verbOf(action) };
  if (/role|admin|permission|product_access|access_granted|access_revoked/i.test(action)) {
    return { uid: 3005, activity: /revoked|removed|remove|deleted/i.test(action) ? "revoke_privileges" : "assign_privileges" };
  }
  if (/user|account/i.test(action)) return { uid: 3001, activity: verbOf(action) };
  return { uid: 6003, activity: verbOf(action) };
}

function verbOf(s: string): string {
  if (/created|added|granted|invited|(^|_)(create|add)(_|$)/i.test(s)) return "create";
  if (/deleted|removed|revoked|deactivated|(^|_)(delete|remove)(_|$)/i.test(s)) return "delete";
  if (/updated|changed|modified|enabled|disabled|activated|set|renamed|(^|_)(update|change)(_|$)/i.test(s)) return "update";
  if (/viewed|exported|downloaded|accessed/i.test(s)) return "read";
  return "other";
}

/** A context/container item ({id, type, attributes{…}}) as a resource. */
function itemResource(it: unknown): EventResource | null {
  if (!isRec(it)) return null;
  const a = recAt(it, "attributes");
  const type = text(field(it, "type")) ?? "object";
  const id = keyText(field(it, "id"));
  const name = text(field(a, "name")) ?? text(field(a, "displayName")) ?? text(field(a, "email")) ?? text(field(a, "siteName")) ?? text(field(a, "siteHostName")) ?? text(field(a, "title"));
  return id === null && name === null ? null : { type, id, name };
}

function normalizeOrgEvent(r: Rec): NormalizedEvent {
  const a = recAt(r, "attributes")!;
  const action = text(field(a, "action"));
  if (action === null) throw new NormalizeError("not an Atlassian org audit event: attributes.action is empty");
  const time = parseTime(field(a, "time"), "attributes.time");
  const actor = recAt(a, "actor");
  const auth = recAt(actor, "auth");
  const authType = text(field(auth, "authType"));
  const tokenId = keyText(field(auth, "tokenId"));
  const tokenish = authType !== null && /token|api|key/i.test(authType);
  const credential: Credential | null =
    tokenId || authType
      ? { key: tokenId, key_type: tokenId ? "atlassian.tokenId" : null, kind: tokenId || tokenish ? "api_token" : "unknown", native_type: authType, parent_key: null, parent_key_type: null, parent_kind: null }
      : null;
  const email = keyText(field(actor, "email"));
  const loc = recAt(a, "location");
  const city = text(field(loc, "city"));
  const region = text(field(loc, "regionName"));
  const country = text(field(loc, "countryName"));
  const resources: EventResource[] = [];
  for (const list of [listAt(a, "context"), listAt(a, "container")]) {
    for (const it of list) {
      const res = itemResource(it);
      if (res) resources.push(res);
    }
  }
  const cls = orgClass(action);
  // A token created by this event, when the event names it in context (an API token / API key item with an id).
  const issued: IssuedCredential[] = [];
  if (cls.activity === "issue_credentials") {
    for (const it of listAt(a, "context")) {
      const type = text(field(it, "type"));
      const id = keyText(field(it, "id"));
      if (type === null || id === null || !/token|api.?key/i.test(type)) continue;
      issued.push({
        key: id,
        key_type: "atlassian.tokenId",
        kind: "api_token",
        native_type: type,
        parent_key: null,
        parent_key_type: null,
        principal: keyText(field(actor, "id")),
        source_identity: null,
        expiration: text(at(it, "attributes", "expirationDate")) ?? text(at(it, "attributes", "expiresAt")),
      });
    }
  }
  const onBehalfOf = recAt(actor, "onBehalfOf");
  return {
    schema_version: 1,
    platform: ATLASSIAN_PLATFORM,
    ...ocsfClass(cls.uid),
    activity: cls.activity,
    event_name: action,
    time,
    status: "unknown", // the org log records what happened; it has no outcome field
    status_detail: null,
    message: text(at(r, "message", "content")),
    actor: {
      external_id: keyText(field(actor, "id")),
      name: text(field(actor, "name")) ?? email,
      login: email,
      email: emailShaped(email),
      type: null, // the org log does not type its actors
      // A token acting (actor.auth with a token id or a token auth type) is an API token; otherwise the log does
      // not say whether the account is a person or an app.
      kind_hint: credential?.kind === "api_token" ? "api_token" : "unknown",
    },
    session: null,
    credential,
    issued_credentials: issued,
    auth: null,
    client: null,
    src_endpoint: { ip: ipOrNull(text(field(loc, "ip"))), location: city || region || country ? { city, region, country } : null },
    user_agent: null,
    resources,
    privileged: ORG_PRIVILEGED.test(action),
    policy: null,
    jit: null,
    approval: null,
    correlation_id: null,
    native_id: keyText(field(r, "id")),
    extra: extraOf({
      shape: "org-audit-log",
      tokenLabel: text(field(auth, "tokenLabel")),
      onBehalfOf: onBehalfOf ? extraOf({ id: keyText(field(onBehalfOf, "id")), name: text(field(onBehalfOf, "name")), email: keyText(field(onBehalfOf, "email")) }) : null,
      geo: text(field(loc, "geo")),
      locationIp: ipOrNull(text(field(loc, "ip"))) === null ? text(field(loc, "ip")) : null,
    }),
  };
}

// Jira audit categories that administer users, groups, permissions, security or the system; projects, workflows,
// fields, notifications and issue types are day-to-day project configuration and are not marked.
const JIRA_PRIVILEGED_CATEGORY = /^(permissions|user management|group management|security|system|auditing|global permissions|application access|roles?)$/i;
const JIRA_PRIVILEGED_SUMMARY = /permission|role|administrator|api token|personal access token|security|global|authentication|sso|saml|password policy/i;

function jiraClass(category: string | null, summary: string): { uid: OcsfClassUid; activity: string } {
  const c = (category ?? "").toLowerCase();
  if (/added to group|user added to/i.test(summary)) return { uid: 3006, activity: "add_user" };
  if (/removed from group|user removed from/i.test(summary)) return { uid: 3006, activity: "remove_user" };
  if (c === "group management") return { uid: 3006, activity: verbOf(summary) };
  if (c === "user management") return { uid: 3001, activity: verbOf(summary) };
  if (c === "permissions" || /permission|role/i.test(summary)) {
    return { uid: 3005, activity: /removed|deleted|revoked/i.test(summary) ? "revoke_privileges" : /added|granted|created/i.test(summary) ? "assign_privileges" : "update" };
  }
  if (/token (created|generated)/i.test(summary)) return { uid: 3001, activity: "issue_credentials" };
  return { uid: 6003, activity: verbOf(summary) };
}

function jiraItem(it: unknown): EventResource | null {
  if (!isRec(it)) return null;
  const id = keyText(field(it, "id"));
  const name = text(field(it, "name"));
  if (id === null && name === null) return null;
  return { type: text(field(it, "typeName")) ?? "object", id, name };
}

function normalizeJiraRecord(r: Rec): NormalizedEvent {
  const summary = text(field(r, "summary"));
  if (summary === null) throw new NormalizeError("not a Jira audit record: summary is empty");
  const time = parseTime(field(r, "created"), "created");
  const category = text(field(r, "category"));
  const accountId = keyText(field(r, "authorAccountId"));
  const authorKey = keyText(field(r, "authorKey"));
  const remote = text(field(r, "remoteAddress"));
  const ip = ipOrNull(remote);
  const resources: EventResource[] = [];
  const obj = jiraItem(field(r, "objectItem"));
  if (obj) resources.push(obj);
  for (const it of listAt(r, "associatedItems")) {
    const res = jiraItem(it);
    if (res) resources.push(res);
  }
  const cls = jiraClass(category, summary);
  const changed = listAt(r, "changedValues");
  return {
    schema_version: 1,
    platform: ATLASSIAN_PLATFORM,
    ...ocsfClass(cls.uid),
    activity: cls.activity,
    event_name: summary,
    time,
    status: "unknown", // audit records are written for changes made; no outcome field
    status_detail: null,
    message: text(field(r, "description")),
    actor: {
      external_id: accountId ?? authorKey,
      name: null,
      login: authorKey,
      email: null,
      type: null,
      kind_hint: "unknown", // no author type in Cloud auditing records (system events simply have no author)
    },
    session: null,
    credential: null,
    issued_credentials: [],
    auth: null,
    client: null,
    src_endpoint: { ip, location: null },
    user_agent: null,
    resources,
    privileged: (category !== null && JIRA_PRIVILEGED_CATEGORY.test(category)) || JIRA_PRIVILEGED_SUMMARY.test(summary),
    policy: null,
    jit: null,
    approval: null,
    correlation_id: null,
    native_id: keyText(field(r, "id")),
    extra: extraOf({
      shape: "jira-auditing-record",
      category,
      eventSource: text(field(r, "eventSource")),
      authorKey,
      remoteAddress: ip === null ? remote : null,
      changedValues: changed.length ? changed : null,
    }),
  };
}

function normalizeOne(record: unknown): NormalizedEvent {
  if (!isRec(record)) throw new NormalizeError("not a JSON object");
  if (isOrgEvent(record)) return normalizeOrgEvent(record);
  if (isJiraAuditRecord(record)) return normalizeJiraRecord(record);
  if (recAt(record, "attributes")) throw new NormalizeError("not an Atlassian org audit event: attributes.action or attributes.time is missing");
  throw new NormalizeError("not an Atlassian audit record: neither an org audit log event (attributes.action, attributes.time) nor a Jira auditing record (summary, created, objectItem/author)");
}

export function normalizeAtlassian(input: unknown): NormalizedEvent[] {
  const { record } = unwrapPanther(input, /^Atlassian\./, "supported Atlassian audit");
  // A whole page that reaches normalize() (a push body): one event per element.
  if (isRec(record)) {
    const data = field(record, "data");
    if (Array.isArray(data) && (isRec(field(record, "links")) || isRec(field(record, "meta")))) {
      if (data.length === 0) throw new NormalizeError("Atlassian org audit page without events");
      return data.map(normalizeOne);
    }
    const records = field(record, "records");
    if (Array.isArray(records) && field(record, "total") !== undefined) {
      if (records.length === 0) throw new NormalizeError("Jira auditing page without records");
      return records.map(normalizeOne);
    }
  }
  return [normalizeOne(record)];
}
