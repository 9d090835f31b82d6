import {
  eventSkeleton,
  ocsfClass,
  type Credential,
  type EventResource,
  type IssuedCredential,
  type NormalizedEvent,
  type OcsfClassUid,
  toActivity,
} from "@/lib/events/schema";
import { NormalizeError } from "../types";
import { at, emailShaped, extraOf, field, ipOrNull, isRec, keyText, listAt, recAt, text, type Rec } from "../util/fields";
import { unwrapPanther } from "../util/panther";
import { sourceIp } from "../util/source-ip";
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
//  - Confluence Cloud audit records (GET /wiki/rest/api/audit: {"results": [...], "start", "limit", "size"}):
//    {author {type, displayName, accountId, accountType}, remoteAddress, creationDate (epoch ms), summary, category,
//    sysAdmin, superAdmin, affectedObject {name, objectType}, changedValues[], associatedObjects[]}.
//  - Jira, Confluence and Bitbucket Data Center auditing (GET /rest/auditing/1.0/events: {"entities": [...],
//    "pagingInfo"}): {timestamp, author {name, type, id, uri}, type {area, category, action, level}, affectedObjects
//    [{name, type, id}], changedValues[{key, from, to}], source (client IP, or an X-Forwarded-For chain), system,
//    method, extraAttributes[{name, value}]}.
// Audit logs record actions that took place: status is success unless the action itself names a failure
// ("User login failed"). None carries a session id (session stays null), a user agent or an OAuth client. The org log's actor.auth
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
    (isRec(field(r, "objectItem")) ||
      field(r, "authorAccountId") !== undefined ||
      field(r, "authorKey") !== undefined ||
      Array.isArray(field(r, "changedValues")) ||
      Array.isArray(field(r, "associatedItems")))
  );
}

// Org audit log actions that change or use privilege: impersonation, API tokens/keys, product access, roles,
// admins, groups' permissions, policies (authentication, data security, IP allowlists), SSO/SCIM/domains, exports.
const ORG_PRIVILEGED =
  /impersonat|logged_in_as_user|api_(token|key)|token_(created|revoked)|product_access|role|admin|permission|polic(y|ies)|saml|sso|scim|identity_provider|domain|allowlist|data_residency|export|two_step|2fa|mfa|(added_to|removed_from)_group|group_member|access_granted|access_revoked/i;

/** Audit logs are written for actions that happened; an action that names a failure is the one exception. */
function outcomeOf(action: string): NormalizedEvent["status"] {
  return /fail|denied|blocked|rejected/i.test(action) ? "failure" : "success";
}

type Classified = { uid: OcsfClassUid; activity: string };

/** The event every Atlassian audit record starts from: its action, time, class, actor and outcome. */
function auditEvent(action: string, time: Date, cls: Classified, actor: NormalizedEvent["actor"]): NormalizedEvent {
  const core = { platform: ATLASSIAN_PLATFORM, ...ocsfClass(cls.uid), activity: toActivity(cls.activity), event_name: action, time, actor };
  return { ...eventSkeleton(core), status: outcomeOf(action) };
}

function orgClass(action: string): Classified {
  if (/logged_in_as_user|impersonat/i.test(action)) return { uid: 3002, activity: "impersonate" };
  if (/(^|_)(login|logged_in)(_|$)/i.test(action)) return { uid: 3002, activity: "logon" };
  if (/(^|_)(logout|logged_out)(_|$)/i.test(action)) return { uid: 3002, activity: "logoff" };
  if (/(api_(token|key)|token)_(created|generated)|^(create|created)_api_(token|key)/i.test(action))
    return { uid: 3001, activity: "issue_credentials" };
  if (/(api_(token|key)|token)_(revoked|deleted)/i.test(action)) return { uid: 3001, activity: "revoke_credentials" };
  if (/group/i.test(action))
    return {
      uid: 3006,
      activity: /added|add_/i.test(action) ? "add_user" : /removed|remove_/i.test(action) ? "remove_user" : verbOf(action),
    };
  if (/role|admin|permission|product_access|access_granted|access_revoked/i.test(action)) {
    return { uid: 3005, activity: /revoked|removed|remove|deleted/i.test(action) ? "revoke_privileges" : "assign_privileges" };
  }
  if (/user|account/i.test(action)) return { uid: 3001, activity: verbOf(action) };
  return { uid: 6003, activity: verbOf(action) };
}

function verbOf(s: string): string {
  if (/export/i.test(s)) return "export";
  // A deactivated / suspended account still exists: its state changed.
  if (/deactivated|suspended|disabled|enabled|reactivated|restored/i.test(s)) return "update";
  if (/created|added|granted|invited|installed|(^|_)(create|add)(_|$)/i.test(s)) return "create";
  if (/deleted|removed|revoked|uninstalled|(^|_)(delete|remove)(_|$)/i.test(s)) return "delete";
  if (/updated|changed|modified|activated|set|renamed|(^|_)(update|change)(_|$)/i.test(s)) return "update";
  if (/viewed|downloaded|accessed/i.test(s)) return "read";
  return "other";
}

/** A context/container item ({id, type, attributes{…}}) as a resource. */
function itemResource(it: unknown): EventResource | null {
  if (!isRec(it)) return null;
  const a = recAt(it, "attributes");
  const type = text(field(it, "type")) ?? "object";
  const id = keyText(field(it, "id"));
  const name =
    text(field(a, "name")) ??
    text(field(a, "displayName")) ??
    text(field(a, "email")) ??
    text(field(a, "siteName")) ??
    text(field(a, "siteHostName")) ??
    text(field(a, "title"));
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
      ? {
          key: tokenId,
          key_type: tokenId ? "atlassian.tokenId" : null,
          kind: tokenId || tokenish ? "api_token" : "unknown",
          native_type: authType,
          parent_key: null,
          parent_key_type: null,
          parent_kind: null,
        }
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
  // The org log records what happened: no outcome field, failures are their own actions.
  const event = auditEvent(action, time, cls, {
    external_id: keyText(field(actor, "id")),
    name: text(field(actor, "name")) ?? email,
    login: email,
    email: emailShaped(email),
    type: null, // the org log does not type its actors
    // A token acting (actor.auth with a token id or a token auth type) is an API token. An actor without a
    // token is an Atlassian account signed in; with the account's email (app and system accounts have none)
    // it is a person's managed account.
    kind_hint: credential?.kind === "api_token" ? "api_token" : email ? "human" : "unknown",
  });
  return {
    ...event,
    message: text(at(r, "message", "content")),
    credential,
    issued_credentials: issued,
    src_endpoint: {
      ip: sourceIp(field(loc, "ip"), { loopback: "keep" }),
      location: city || region || country ? { city, region, country } : null,
    },
    resources,
    privileged: ORG_PRIVILEGED.test(action),
    native_id: keyText(field(r, "id")),
    extra: extraOf({
      shape: "org-audit-log",
      tokenLabel: text(field(auth, "tokenLabel")),
      onBehalfOf: onBehalfOf
        ? extraOf({
            id: keyText(field(onBehalfOf, "id")),
            name: text(field(onBehalfOf, "name")),
            email: keyText(field(onBehalfOf, "email")),
          })
        : null,
      geo: text(field(loc, "geo")),
      locationIp: ipOrNull(text(field(loc, "ip"))) === null ? text(field(loc, "ip")) : null,
    }),
  };
}

// Jira audit categories that administer users, groups, permissions, security or the system; projects, workflows,
// fields, notifications and issue types are day-to-day project configuration and are not marked.
// User management (creating, deactivating accounts) changes no one's rights; group membership does.
const JIRA_PRIVILEGED_CATEGORY = /^(permissions|group management|security|system|auditing|global permissions|application access|roles?)$/i;
const JIRA_PRIVILEGED_SUMMARY =
  /permission|role|administrator|api token|personal access token|security|global|authentication|sso|saml|password policy/i;

/** A permission or role change named by an audit summary: revoked, granted, or (neither said) updated. */
function privilegeClass(summary: string): Classified {
  const activity = /removed|deleted|revoked/i.test(summary)
    ? "revoke_privileges"
    : /added|granted|created/i.test(summary)
      ? "assign_privileges"
      : "update";
  return { uid: 3005, activity };
}

function jiraClass(category: string | null, summary: string): Classified {
  const c = (category ?? "").toLowerCase();
  if (/added to group|user added to/i.test(summary)) return { uid: 3006, activity: "add_user" };
  if (/removed from group|user removed from/i.test(summary)) return { uid: 3006, activity: "remove_user" };
  if (c === "group management") return { uid: 3006, activity: verbOf(summary) };
  if (c === "user management") return { uid: 3001, activity: verbOf(summary) };
  if (c === "permissions" || /permission|role/i.test(summary)) return privilegeClass(summary);
  if (/token (created|generated)/i.test(summary)) return { uid: 3001, activity: "issue_credentials" };
  return { uid: 6003, activity: verbOf(summary) };
}

/** A change that opens an object to others: a "Shared with" / share permission value set to something. */
function sharedBy(changed: unknown[]): boolean {
  return changed.some((cv) => {
    const name = text(field(cv, "fieldName")) ?? text(field(cv, "name")) ?? text(field(cv, "key"));
    const to = text(field(cv, "changedTo")) ?? text(field(cv, "newValue")) ?? text(field(cv, "to"));
    return name !== null && /shar/i.test(name) && to !== null && !/^\[\s*\]$/.test(to);
  });
}

/** An audit record's class, unless its changed values open an object to others: then it is a share. */
function classWithShare(cls: Classified, changed: unknown[]): Classified {
  if (sharedBy(changed)) cls.activity = "share";
  return cls;
}

/** An audit record's item ({id, name, <typeKey>}) as a resource. */
function namedResource(it: unknown, typeKey: string): EventResource | null {
  if (!isRec(it)) return null;
  const id = keyText(field(it, "id"));
  const name = text(field(it, "name"));
  if (id === null && name === null) return null;
  return { type: text(field(it, typeKey)) ?? "object", id, name };
}

function resourcesOf(items: unknown[], typeKey: string): EventResource[] {
  return items.map((it) => namedResource(it, typeKey)).filter((res) => res !== null);
}

/** A Jira or Confluence Cloud audit record's summary (required), time and category. */
function summaryRecord(r: Rec, product: string, timeField: string): { summary: string; time: Date; category: string | null } {
  const summary = text(field(r, "summary"));
  if (summary === null) throw new NormalizeError(`not a ${product} audit record: summary is empty`);
  return { summary, time: parseTime(field(r, timeField), timeField), category: text(field(r, "category")) };
}

function normalizeJiraRecord(r: Rec): NormalizedEvent {
  const { summary, time, category } = summaryRecord(r, "Jira", "created");
  const accountId = keyText(field(r, "authorAccountId"));
  const authorKey = keyText(field(r, "authorKey"));
  const remote = text(field(r, "remoteAddress"));
  const ip = sourceIp(remote, { loopback: "keep" });
  const changed = listAt(r, "changedValues");
  // Audit records are written for changes made; no outcome field.
  const event = auditEvent(summary, time, classWithShare(jiraClass(category, summary), changed), {
    external_id: accountId ?? authorKey,
    name: null,
    // authorKey is a deprecated user key (in Cloud usually the account id again), not a login name.
    login: authorKey !== null && authorKey !== accountId ? authorKey : null,
    email: null,
    type: null,
    // authorAccountId is "the ID of the user who created the audit record"; Jira's own changes (automatic
    // deactivation, directory sync) are recorded without an author.
    kind_hint: (accountId ?? authorKey) ? "human" : "system",
  });
  return {
    ...event,
    message: text(field(r, "description")),
    src_endpoint: { ip, location: null },
    resources: resourcesOf([field(r, "objectItem"), ...listAt(r, "associatedItems")], "typeName"),
    privileged: (category !== null && JIRA_PRIVILEGED_CATEGORY.test(category)) || JIRA_PRIVILEGED_SUMMARY.test(summary),
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

/** A Confluence Cloud audit record: author object + creationDate + summary (no id; Jira's has `created`). */
export function isConfluenceAuditRecord(r: unknown): r is Rec {
  return isRec(r) && isRec(field(r, "author")) && field(r, "creationDate") !== undefined && typeof field(r, "summary") === "string";
}

/** A Data Center auditing entity (Jira, Confluence, Bitbucket): timestamp + author + type.action. */
export function isDcAuditEntity(r: unknown): r is Rec {
  return isRec(r) && field(r, "timestamp") !== undefined && isRec(field(r, "author")) && typeof at(r, "type", "action") === "string";
}

// Confluence and Data Center audit summaries / actions ("Space permission added", "Global permission removed",
// "Repository permission granted", "User added to group", "Personal access token created", "User login failed").
function summaryClass(summary: string, category: string | null): Classified {
  if (/log(ged)? ?in|sign(ed)? ?in|authenticat/i.test(summary) && !/token/i.test(summary)) return { uid: 3002, activity: "logon" };
  if (/log(ged)? ?out|sign(ed)? ?out/i.test(summary)) return { uid: 3002, activity: "logoff" };
  if (/impersonat|logged in as/i.test(summary)) return { uid: 3002, activity: "impersonate" };
  if (/token.*(created|generated)/i.test(summary)) return { uid: 3001, activity: "issue_credentials" };
  if (/token.*(revoked|deleted|expired)/i.test(summary)) return { uid: 3001, activity: "revoke_credentials" };
  if (/added to group/i.test(summary)) return { uid: 3006, activity: "add_user" };
  if (/removed from group/i.test(summary)) return { uid: 3006, activity: "remove_user" };
  if (/permission|role|administrator/i.test(summary) || /^permissions$/i.test(category ?? "")) return privilegeClass(summary);
  if (/^user/i.test(summary)) return { uid: 3001, activity: verbOf(summary) };
  return { uid: 6003, activity: verbOf(summary) };
}

// Grants and removals of permissions, roles, administrators and group membership; impersonation. Exports,
// app installs and a user's own tokens are recorded but grant no one rights.
const SUMMARY_PRIVILEGED = /permission|role|administrator|added to group|removed from group|impersonat|logged in as/i;

function normalizeConfluenceRecord(r: Rec): NormalizedEvent {
  const { summary, time, category } = summaryRecord(r, "Confluence", "creationDate");
  const author = recAt(r, "author");
  const accountId = keyText(field(author, "accountId"));
  const accountType = text(field(author, "accountType"));
  const authorType = text(field(author, "type"));
  const remote = text(field(r, "remoteAddress"));
  const changed = listAt(r, "changedValues");
  const event = auditEvent(summary, time, classWithShare(summaryClass(summary, category), changed), {
    external_id: accountId,
    name: text(field(author, "displayName")) ?? text(field(author, "publicName")),
    login: null,
    email: emailShaped(keyText(field(author, "email"))),
    type: accountType ?? authorType,
    // Atlassian account types: atlassian (a person's account), customer (a JSM portal customer), app (an app's
    // bot account); Confluence writes system changes with author type "system" or none.
    kind_hint:
      accountType === "app"
        ? "bot"
        : accountType === "atlassian" || accountType === "customer"
          ? "human"
          : authorType === "user"
            ? "human"
            : authorType === "system" || !author
              ? "system"
              : "unknown",
  });
  return {
    ...event,
    message: text(field(r, "description")),
    src_endpoint: { ip: firstIp(remote), location: null },
    resources: resourcesOf([field(r, "affectedObject"), ...listAt(r, "associatedObjects")], "objectType"),
    privileged: SUMMARY_PRIVILEGED.test(summary),
    native_id: null, // Confluence audit records have no id
    extra: extraOf({
      shape: "confluence-audit-record",
      category,
      sysAdmin: typeof field(r, "sysAdmin") === "boolean" ? (field(r, "sysAdmin") as boolean) : null,
      superAdmin: typeof field(r, "superAdmin") === "boolean" ? (field(r, "superAdmin") as boolean) : null,
      remoteAddress: firstIp(remote) === null ? remote : null,
      changedValues: changed.length ? changed : null,
    }),
  };
}

/** The client address of a source that may be an X-Forwarded-For chain ("client, proxy1, proxy2"). */
function firstIp(v: string | null): string | null {
  if (v === null) return null;
  return sourceIp(v.split(",")[0].trim(), { loopback: "keep" });
}

function extraAttribute(r: Rec, pattern: RegExp): string | null {
  for (const a of listAt(r, "extraAttributes")) {
    const name = text(field(a, "name"));
    if (name !== null && pattern.test(name)) return keyText(field(a, "value"));
  }
  return null;
}

function normalizeDcEntity(r: Rec): NormalizedEvent {
  const type = recAt(r, "type");
  const action = text(field(type, "action"));
  if (action === null) throw new NormalizeError("not a Data Center audit event: type.action is empty");
  const time = parseTime(field(r, "timestamp"), "timestamp");
  const category = text(field(type, "category"));
  const author = recAt(r, "author");
  const authorType = text(field(author, "type"));
  const system = authorType !== null && /^system$/i.test(authorType);
  const rawId = keyText(field(author, "id"));
  // The System author has the placeholder id -1.
  const authorId = rawId === null || rawId === "-1" ? null : rawId;
  const authorName = text(field(author, "name"));
  const source = text(field(r, "source"));
  const changed = listAt(r, "changedValues");
  const cls = classWithShare(summaryClass(action, category), changed);
  // A personal access token (Jira / Confluence / Bitbucket DC) created: its id is an extra attribute.
  const issued: IssuedCredential[] = [];
  const tokenId = extraAttribute(r, /^token id$/i);
  if (cls.activity === "issue_credentials" && tokenId) {
    issued.push({
      key: tokenId,
      key_type: "atlassian.dc_token_id",
      kind: /personal access token/i.test(action) ? "pat" : "api_token",
      native_type: action,
      parent_key: null,
      parent_key_type: null,
      principal: authorId,
      source_identity: null,
      expiration: extraAttribute(r, /^expir/i),
    });
  }
  // A login names its method: the credential used (no key).
  const method = extraAttribute(r, /authentication method/i);
  const credential: Credential | null =
    cls.uid === 3002 && method
      ? {
          key: null,
          key_type: null,
          kind: /password/i.test(method)
            ? "password"
            : /token/i.test(method)
              ? "pat"
              : /saml|sso|oidc/i.test(method)
                ? "sso_session"
                : "unknown",
          native_type: method,
          parent_key: null,
          parent_key_type: null,
          parent_kind: null,
        }
      : null;
  const event = auditEvent(action, time, cls, {
    external_id: system ? null : authorId,
    name: authorName,
    login: system ? null : authorName,
    email: null,
    type: authorType,
    kind_hint: system ? "system" : authorType !== null && /^user$/i.test(authorType) ? "human" : "unknown",
  });
  return {
    ...event,
    credential,
    issued_credentials: issued,
    src_endpoint: { ip: firstIp(source), location: null },
    resources: resourcesOf(listAt(r, "affectedObjects"), "type"),
    privileged: SUMMARY_PRIVILEGED.test(action),
    native_id: null, // Data Center audit entities have no id (JRASERVER-78785)
    extra: extraOf({
      shape: "dc-auditing-event",
      area: text(field(type, "area")),
      category,
      level: text(field(type, "level")),
      system: text(field(r, "system")),
      node: text(field(r, "node")),
      method: text(field(r, "method")),
      source: source !== null && firstIp(source) !== source ? source : null,
      changedValues: changed.length ? changed : null,
    }),
  };
}

function normalizeOne(record: unknown): NormalizedEvent {
  if (!isRec(record)) throw new NormalizeError("not a JSON object");
  if (isOrgEvent(record)) return normalizeOrgEvent(record);
  if (isJiraAuditRecord(record)) return normalizeJiraRecord(record);
  if (isConfluenceAuditRecord(record)) return normalizeConfluenceRecord(record);
  if (isDcAuditEntity(record)) return normalizeDcEntity(record);
  if (recAt(record, "attributes"))
    throw new NormalizeError("not an Atlassian org audit event: attributes.action or attributes.time is missing");
  throw new NormalizeError(
    "not an Atlassian audit record: neither an org audit log event (attributes.action, attributes.time) nor a Jira auditing record (summary, created, objectItem/author), a Confluence audit record (author, creationDate, summary) or a Data Center auditing event (timestamp, author, type.action)",
  );
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
    for (const key of ["results", "entities"]) {
      const list = field(record, key);
      if (Array.isArray(list) && list.length > 0 && (isConfluenceAuditRecord(list[0]) || isDcAuditEntity(list[0])))
        return list.map(normalizeOne);
    }
  }
  return [normalizeOne(record)];
}
