import {
  ocsfClass,
  type ActorKind,
  type Auth,
  type Credential,
  type CredentialKind,
  type EventPolicy,
  type EventResource,
  type EventStatus,
  type NormalizedEvent,
  type OcsfClassUid,
  toActivity,
} from "@/lib/events/schema";
import { NormalizeError } from "../types";
import { emailShaped, extraOf, field, ipOrNull, keyText, type Rec, textAt } from "../util/fields";
import { sourceIp } from "../util/source-ip";
import { parseTime, tryParseTime } from "../util/time";
import { baseEvent, elfStamp, initiatorOf, num, str, type Initiator } from "./common";
import { id18, toId18 } from "./ids";

// Salesforce Event Monitoring in its three shapes:
//  - EventLogFile (ELF) rows: one CSV file per event type (quoted upper-case header: EVENT_TYPE, TIMESTAMP,
//    REQUEST_ID, ORGANIZATION_ID, USER_ID, …; field reference "EventLogFile Supported Event Types" in the Object
//    Reference), or the same rows as JSON objects (Panther: same keys, some values numbers).
//  - Real-Time Event Monitoring objects (LoginEvent, LoginAsEvent, LogoutEvent, ApiEvent, ReportEvent, …: EventDate,
//    EventIdentifier, LoginKey, SessionKey, UserId, Username, SourceIp, …; Platform Events Developer Guide), from
//    SOQL/REST query pages ({"totalSize","done","records":[{attributes:{type}, …}]}).
//  - LoginHistory records (Id, UserId, LoginTime, LoginType, SourceIp, Status, Application, Browser, …).

/** Rows processed at or above this by one query are a bulk read (an export), hence privileged. */
const BULK_EXPORT_ROWS = 10_000;

// ---- classification by event type ------------------------------------------------------------------------

type Classified = { uid: OcsfClassUid; activity: string };

/** The event type without the Real-Time Event Monitoring suffix: LoginEvent → Login, BulkApiResultEventStore → BulkApiResult. */
function baseType(eventType: string): string {
  return eventType.replace(/(?:EventStream|EventStore|Event)$/, "") || eventType;
}

function verb(word: string | null): string {
  if (!word) return "other";
  const w = word
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
  if (/^(query|queryall|querymore|retrieve|get|head|describe|search|read|list|view|show)/.test(w)) return "read";
  if (/^(create|insert|post|add|new)/.test(w)) return "create";
  if (/^(update|upsert|patch|put|merge|edit|change)/.test(w)) return "update";
  if (/^(delete|harddelete|undelete|remove|purge)/.test(w)) return "delete";
  if (/^(export|download)/.test(w)) return "export";
  return /^[a-z][a-z0-9_]*$/.test(w) ? w.slice(0, 40) : "other";
}

const API_TYPES =
  /^(api|restapi|bulkapi|bulkapi2|bulkapiresult|apexrestapi|apexsoap|apitotalusage|apiconnectedapp|metadataapioperation|connectedappusage|oauthtoken.*)$/i;
const DETECTION_TYPES = /(anomaly|sessionhijacking|credentialstuffing|threatdetection)/i;

function classify(base: string, operation: string | null, isExport: boolean): Classified {
  const b = base.toLowerCase();
  if (b === "login") return { uid: 3002, activity: "logon" };
  if (b === "logout") return { uid: 3002, activity: "logoff" };
  if (b === "loginas") return { uid: 3002, activity: "impersonate" };
  if (b === "permissionset") return { uid: 3005, activity: "assign_privileges" };
  if (DETECTION_TYPES.test(b)) return { uid: 2004, activity: "detect" };
  if (b === "reportexport" || isExport) return { uid: 6005, activity: "export" };
  if (b === "report" || b === "listview" || b === "dashboard") return { uid: 6005, activity: "read" };
  if (/^(uri|lightninguri|lightningpageview|lightninginteraction|visualforcerequest)$/.test(b)) return { uid: 6001, activity: "read" };
  if (b === "bulkapiresult") return { uid: 6005, activity: operation ? verb(operation) : "export" };
  if (/^(contenttransfer|documentattachmentdownloads|filedownload)$/.test(b)) return { uid: 6006, activity: "download" };
  return { uid: 6003, activity: verb(operation) };
}

// ---- status ------------------------------------------------------------------------------------------------

// REQUEST_STATUS codes (EventLogFile reference): S success, F failure, A authorization error, N not found,
// R redirect, U undefined. Panther's copies also write words (Success / Failed).
function requestStatus(v: string): EventStatus {
  const l = v.toLowerCase();
  if (l === "s" || l === "success" || l === "succeeded") return "success";
  if (l === "f" || l === "a" || l === "n" || l.startsWith("fail") || l === "error" || l === "denied") return "failure";
  return "unknown";
}

function elfStatus(r: Rec): { status: EventStatus; detail: string | null } {
  const login = str(r, "LOGIN_STATUS");
  if (login) return { status: login === "LOGIN_NO_ERROR" ? "success" : "failure", detail: login };
  const code = num(field(r, "STATUS_CODE"));
  const req = str(r, "REQUEST_STATUS") ?? str(r, "STATUS");
  if (req) {
    const st = requestStatus(req);
    if (st !== "unknown" || code === null) return { status: st, detail: code !== null ? `${req} (HTTP ${code})` : req };
  }
  if (code !== null && code >= 100) return { status: code < 400 ? "success" : "failure", detail: `HTTP ${code}` };
  return { status: "unknown", detail: null };
}

// ---- credentials -------------------------------------------------------------------------------------------

// LoginHistory / LoginEvent LoginType picklist → credential kind. Only the types whose credential the name says.
const LOGIN_TYPE_KIND: Record<string, CredentialKind> = {
  application: "password", // UI login with username and password
  "other apex api": "password", // SOAP login() with username + password (+ security token)
  "partner product": "password",
  "remote access 2.0": "oauth_grant", // an OAuth flow of a connected app
  "remote access client": "oauth_grant",
  "saml idp initiated sso": "saml_assertion",
  "saml sp initiated sso": "saml_assertion",
  "saml chatter communities external user sso": "saml_assertion",
};

function loginTypeKind(loginType: string | null): CredentialKind | null {
  if (!loginType) return null;
  const l = loginType.toLowerCase();
  return LOGIN_TYPE_KIND[l] ?? (l.startsWith("saml") ? "saml_assertion" : null);
}

function loginTypeCredential(loginType: string | null): Credential | null {
  const kind = loginTypeKind(loginType);
  if (!loginType) return null;
  return {
    key: null,
    key_type: null,
    kind: kind ?? "unknown",
    native_type: loginType,
    parent_key: null,
    parent_key_type: null,
    parent_kind: null,
  };
}

/** The event's class and activity; a bulk read of data (a query over BULK_EXPORT_ROWS rows) is an export. */
function classOf({ uid, activity }: Classified, bulkRead: boolean): Pick<NormalizedEvent, "class_uid" | "class_name" | "activity"> {
  return bulkRead ? { ...ocsfClass(uid === 6003 ? 6005 : uid), activity: "export" } : { ...ocsfClass(uid), activity: toActivity(activity) };
}

/**
 * Objects (sObject types) named in a list field ("Account, Contact": commas, semicolons or bars between names) as
 * resources. When the row names the record or report acted on, the sObject type is where it lives: a container.
 */
function objectResources(names: string | null, specific: boolean): EventResource[] {
  if (!names) return [];
  return names
    .split(/[,;|]/)
    .map((x) => x.trim())
    .filter((x) => x !== "")
    .map((name) => (specific ? { type: "Object", id: null, name, role: "container" as const } : { type: "Object", id: null, name }));
}

/** The access token a connected app acts with: the session's, keyed by SESSION_KEY when the row has one. */
function appAccessToken(sessionKey: string | null): Credential {
  return {
    key: sessionKey,
    key_type: sessionKey ? "salesforce.SESSION_KEY" : null,
    kind: "access_token",
    native_type: null,
    parent_key: null,
    parent_key_type: null,
    parent_kind: null,
  };
}

/** auth from an OpenID Connect amr value (AUTHENTICATION_METHOD_REFERENCE / AuthMethodReference) and a login type. */
function authOf(amr: string | null, loginType: string | null): Auth | null {
  const factors = amr ? amr.split(/[\s,;]+/).filter((f) => f !== "") : [];
  if (factors.length === 0 && !loginType) return null;
  const lower = factors.map((f) => f.toLowerCase());
  return {
    factors,
    mfa:
      lower.includes("mfa") || (lower.length > 1 && lower.some((f) => ["otp", "hwk", "swk", "sms", "fpt", "face"].includes(f)))
        ? true
        : null,
    protocol: loginType,
  };
}

// ---- EventLogFile rows ---------------------------------------------------------------------------------------

function elfTime(r: Rec): { time: Date; field: string } {
  const derived = field(r, "TIMESTAMP_DERIVED");
  const d = tryParseTime(derived);
  if (d && typeof derived === "string" && !/^\d+(?:\.\d+)?$/.test(derived.trim())) return { time: d, field: "TIMESTAMP_DERIVED" };
  const raw = field(r, "TIMESTAMP");
  if ((typeof raw === "string" && raw.trim() !== "") || typeof raw === "number") {
    const s = String(raw).trim();
    const stamp = elfStamp(s);
    if (stamp) return { time: stamp, field: "TIMESTAMP" };
    // Panther writes "2023-05-04 21:36:47.569" (GMT, no zone): the generic reader takes it as UTC.
    if (!/^\d+(?:\.\d+)?$/.test(s)) {
      const t = tryParseTime(s);
      if (t) return { time: t, field: "TIMESTAMP" };
    }
    throw new NormalizeError(`unreadable event time in TIMESTAMP: ${JSON.stringify(raw).slice(0, 80)}`);
  }
  if (derived !== undefined && derived !== null && derived !== "")
    return { time: parseTime(derived, "TIMESTAMP_DERIVED"), field: "TIMESTAMP_DERIVED" };
  throw new NormalizeError("no event time (TIMESTAMP and TIMESTAMP_DERIVED are missing)");
}

/**
 * The session key: LOGIN_KEY / LoginKey, which "ties together all events in a given user's login session" from
 * the login event on (the Login row often has no SESSION_KEY); SESSION_KEY alone when the row has no LOGIN_KEY.
 */
function sessionOf(loginKey: string | null, sessionKey: string | null): NormalizedEvent["session"] {
  if (loginKey) return { key: loginKey, key_type: "salesforce.LOGIN_KEY", root_key: null, issuer: null };
  if (sessionKey) return { key: sessionKey, key_type: "salesforce.SESSION_KEY", root_key: null, issuer: null };
  return null;
}

// A browser's user agent (Mozilla/…): a person at the UI or a person's browser-based OAuth client.
const BROWSER_UA = /^Mozilla\//;
// The OAuth 2.0 token endpoint. A login recorded there was made without Salesforce's sign-in page: the
// server-to-server flows (client credentials, JWT bearer, username-password), which Salesforce documents for
// integrations running as a dedicated integration user ("OAuth 2.0 Client Credentials Flow for Server-to-Server
// Integration", https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_oauth_client_credentials_flow.htm;
// "Give Integration Users API Only Access", https://help.salesforce.com/s/articleView?id=platform.integration_user.htm).
const OAUTH_TOKEN_ENDPOINT = /^\/services\/oauth2\/token\b/;

/**
 * An actor's kind from the record's own fields; a named Salesforce user is a person unless one of them says otherwise.
 * A call through a connected app is still made *as the user*: the app is the client, holding the user's grant (OAuth
 * terminology: the access token gives access "on behalf of the user"; a client credentials app runs as its run-as
 * user, https://developer.salesforce.com/blogs/2024/02/invoke-rest-apis-with-the-salesforce-integration-user-and-oauth-client-credentials.html,
 * so that each application's requests are traced to its dedicated integration user). Whether that user is a person
 * or an integration user the API row does not say (unknown, unless a browser made the call); the user's login does.
 * - apiClient: an API call through a connected app; serverLogin: a login at the OAuth token endpoint.
 */
function elfKind(
  userType: string | null,
  clientCategory: string | null,
  via: { apiClient: boolean; serverLogin: boolean; userAgent: string | null },
  who: string | null,
): ActorKind {
  if (userType === "AutomatedProcess") return "system";
  if (clientCategory !== null && /agent/i.test(clientCategory)) return "ai_agent"; // API_CLIENT_CATEGORY AGENTFORCE_AGENT
  if (who === null) return "unknown";
  const browser = via.userAgent !== null && BROWSER_UA.test(via.userAgent);
  if (via.serverLogin && !browser) return "service_account"; // an integration's server-to-server login
  // The user, through an app's client: an integration user, or a person's native app (a mobile app names itself as a
  // program does: AcmeFieldApp/4.2 CFNetwork). The row cannot tell them apart.
  if (via.apiClient && !browser) return "unknown";
  return "human";
}

function isQuery(op: string | null, uri: string | null): boolean {
  return (op !== null && /^query(all|more)?$/i.test(op)) || (op === null && uri !== null && /\/query(All)?\b/.test(uri));
}

/**
 * Who acted: the row's user, or with Login-As (DELEGATED_USER_*, DelegatedUsername) the delegate, an admin logged
 * in as that user; the user whose identity was used then becomes the first target (LoginAs Event Type reference).
 */
function actorOf(
  initiator: Initiator | null,
  user: { id: string | null; login: string | null; type: string | null; kind: ActorKind },
  resources: EventResource[],
): NormalizedEvent["actor"] {
  const { id, login, type, kind } = user;
  if (!initiator) return { external_id: id, name: login, login, email: emailShaped(login), type, kind_hint: kind };
  if (id || login) resources.unshift({ type: "user", id, name: login });
  const delegate = initiator.login;
  return {
    external_id: initiator.external_id,
    name: delegate,
    login: delegate,
    email: emailShaped(delegate),
    type: null,
    kind_hint: "human",
  };
}

export function normalizeElf(r: Rec): NormalizedEvent[] {
  const eventType = str(r, "EVENT_TYPE");
  if (!eventType) throw new NormalizeError("not a Salesforce EventLogFile row: EVENT_TYPE is missing");
  const { time, field: timeField } = elfTime(r);
  const base = baseType(eventType);

  const userId = id18(keyText(field(r, "USER_ID_DERIVED")), keyText(field(r, "USER_ID")));
  const login = keyText(field(r, "USER_NAME")) ?? keyText(field(r, "USERNAME"));
  const userType = str(r, "USER_TYPE");
  const delegatedId = id18(keyText(field(r, "DELEGATED_USER_ID_DERIVED")), keyText(field(r, "DELEGATED_USER_ID")));
  const delegatedName = keyText(field(r, "DELEGATED_USER_NAME"));
  const initiator = initiatorOf(delegatedId, delegatedName);
  const clientCategory = str(r, "API_CLIENT_CATEGORY");

  const sessionKey = keyText(field(r, "SESSION_KEY"));
  const loginKey = keyText(field(r, "LOGIN_KEY"));
  const connectedAppRaw = keyText(field(r, "CONNECTED_APP_ID"));
  const connectedApp = connectedAppRaw ? toId18(connectedAppRaw) : null;
  const clientId = keyText(field(r, "CLIENT_ID"));
  const appName = str(r, "CONNECTED_APP_NAME");
  const viaApp = (connectedApp !== null || clientId !== null) && API_TYPES.test(base);

  const operation = str(r, "METHOD_NAME") ?? str(r, "OPERATION_TYPE") ?? str(r, "HTTP_METHOD") ?? str(r, "METHOD");
  const uri = str(r, "URI") ?? str(r, "API_RESOURCE");
  const rows = num(field(r, "ROWS_PROCESSED")) ?? num(field(r, "RECORDS_PROCESSED")) ?? num(field(r, "ROW_COUNT"));
  const bulkRead = isQuery(operation, uri) && rows !== null && rows >= BULK_EXPORT_ROWS;
  const { uid, activity } = classify(base, operation, false);

  const apiType = str(r, "API_TYPE");
  const browser = str(r, "BROWSER_TYPE");
  const ua =
    browser ??
    (() => {
      const u = str(r, "USER_AGENT");
      return u && !/^\d+$/.test(u) ? u : null; // USER_AGENT is a numeric client code in most event types
    })();

  // kind_hint, from the row's own fields only (rules in lib/sources/README.md). A row's user is a person unless
  // the row says otherwise: the AutomatedProcess user type (Salesforce's own automation), an Agentforce agent
  // (API_CLIENT_CATEGORY), an API call through a connected app (the app acting with the user's grant).
  const serverLogin = base.toLowerCase() === "login" && uri !== null && OAUTH_TOKEN_ENDPOINT.test(uri);
  const kind = elfKind(
    userType,
    clientCategory,
    { apiClient: viaApp, serverLogin, userAgent: ua },
    userId ?? login ?? delegatedId ?? delegatedName,
  );

  const session = sessionOf(loginKey, sessionKey);

  // An API call through a connected app runs on the OAuth access token, which in Salesforce is the session id:
  // SESSION_KEY identifies it. A row of another kind names no credential.
  const loginType = str(r, "LOGIN_TYPE");
  let credential: Credential | null = null;
  if (viaApp) credential = appAccessToken(sessionKey);
  else if (loginType) credential = loginTypeCredential(loginType);

  const resources: EventResource[] = [];
  const reportId = id18(keyText(field(r, "REPORT_ID_DERIVED")), keyText(field(r, "REPORT_ID")));
  if (reportId) resources.push({ type: "Report", id: reportId, name: null });
  const recordId = keyText(field(r, "URI_ID_DERIVED")) ?? keyText(field(r, "RECORD_ID"));
  if (recordId && recordId !== reportId) resources.push({ type: "Record", id: toId18(recordId), name: null });
  const entities = str(r, "ENTITY_NAME") ?? str(r, "ENTITY_TYPE");
  resources.push(...objectResources(entities, resources.length > 0));
  const jobId = keyText(field(r, "JOB_ID"));
  if (jobId) resources.push({ type: "BulkJob", id: toId18(jobId), name: null });

  const clientIp = str(r, "CLIENT_IP");
  const sourceIpText = str(r, "SOURCE_IP");
  const { status, detail } = elfStatus(r);
  const b = base.toLowerCase();

  const actor = actorOf(initiator, { id: userId, login, type: userType, kind }, resources);
  const event = baseEvent({ ...classOf({ uid, activity }, bulkRead), event_name: eventType, time, actor });
  event.status = status;
  event.status_detail = detail;
  event.message = str(r, "SUMMARY") ?? str(r, "MESSAGE") ?? str(r, "EXCEPTION_MESSAGE");
  event.session = session;
  event.credential = credential;
  event.auth = b === "login" ? authOf(str(r, "AUTHENTICATION_METHOD_REFERENCE"), loginType) : null;
  event.client = connectedApp || clientId || appName ? { app_id: connectedApp ?? clientId, app_name: appName } : null;
  event.src_endpoint = { ip: sourceIp(clientIp, { loopback: "keep" }) ?? sourceIp(sourceIpText, { loopback: "keep" }), location: null };
  event.user_agent = ua;
  event.resources = resources;
  // Privileged: Login-As activity (an admin using another user's identity), bulk reads of BULK_EXPORT_ROWS rows or
  // more (Bulk API queries and API queries alike), permission set events. One report's export is a data access by
  // the user's own permissions (not privileged; governance classifies exports by name).
  event.privileged = b === "loginas" || initiator !== null || bulkRead || b === "permissionset";
  event.correlation_id = keyText(field(r, "REQUEST_ID"));
  event.extra = extraOf({
    shape: "eventlogfile",
    time_field: timeField === "TIMESTAMP_DERIVED" ? null : timeField,
    ORGANIZATION_ID: keyText(field(r, "ORGANIZATION_ID")),
    USER_ID: keyText(field(r, "USER_ID")),
    initiator,
    DELEGATED_USER_ID: delegatedId,
    DELEGATED_USER_NAME: delegatedName,
    LOGIN_STATUS: str(r, "LOGIN_STATUS"),
    REQUEST_STATUS: str(r, "REQUEST_STATUS"),
    STATUS_CODE: num(field(r, "STATUS_CODE")),
    API_TYPE: apiType,
    API_VERSION: str(r, "API_VERSION"),
    METHOD_NAME: str(r, "METHOD_NAME"),
    OPERATION_TYPE: str(r, "OPERATION_TYPE"),
    HTTP_METHOD: str(r, "HTTP_METHOD") ?? str(r, "METHOD"),
    URI: uri,
    ROWS_PROCESSED: rows,
    NUMBER_FAILURES: num(field(r, "NUMBER_FAILURES")) ?? num(field(r, "RECORDS_FAILED")),
    BATCH_ID: keyText(field(r, "BATCH_ID")),
    JOB_STATUS: str(r, "JOB_STATUS"),
    CLIENT_ID: clientId,
    CLIENT_NAME: str(r, "CLIENT_NAME"),
    CONNECTED_APP_ID: connectedAppRaw,
    CONNECTION_TYPE: str(r, "CONNECTION_TYPE"),
    OAUTH_SCOPES: str(r, "OAUTH_SCOPES"),
    CLIENT_IP: clientIp && !ipOrNull(clientIp) ? clientIp : null, // e.g. "Salesforce.com IP"
    SOURCE_IP: sourceIpText && sourceIpText !== clientIp ? sourceIpText : null,
    SESSION_KEY: sessionKey,
    USER_NAME: initiator ? login : null,
    API_CLIENT_CATEGORY: clientCategory,
    SESSION_LEVEL: str(r, "SESSION_LEVEL"),
    AUTHENTICATION_SERVICE_ID: keyText(field(r, "AUTHENTICATION_SERVICE_ID")),
    TLS_PROTOCOL: str(r, "TLS_PROTOCOL"),
    CIPHER_SUITE: str(r, "CIPHER_SUITE"),
    SCORE: num(field(r, "SCORE")),
    EXCEPTION_MESSAGE: str(r, "EXCEPTION_MESSAGE"),
  });
  return [event];
}

// ---- Real-Time Event Monitoring objects ------------------------------------------------------------------------

const TS_POLICY_ENGINE = "salesforce.transaction_security";

export function normalizeRealTime(r: Rec, objectType: string, inferred: boolean): NormalizedEvent[] {
  const time = parseTime(field(r, "EventDate") ?? field(r, "CreatedDate"), "EventDate");
  const base = baseType(objectType);
  const b = base.toLowerCase();

  const userId = id18(null, keyText(field(r, "UserId")));
  const login = keyText(field(r, "Username"));
  const userType = str(r, "UserType");
  // LoginAsEvent: Username is the user logged in as; DelegatedUsername is the admin who did it (the actor).
  const delegatedName = keyText(field(r, "DelegatedUsername"));
  const initiator = initiatorOf(null, delegatedName);
  const sessionKey = keyText(field(r, "SessionKey"));
  const loginKey = keyText(field(r, "LoginKey"));
  const connectedAppRaw = keyText(field(r, "ConnectedAppId"));
  const connectedApp = connectedAppRaw ? toId18(connectedAppRaw) : null;
  const loginType = str(r, "LoginType");
  const operation = str(r, "Operation") ?? str(r, "Method");
  const rows = num(field(r, "RowsProcessed")) ?? num(field(r, "RecordCount")) ?? num(field(r, "RowsReturned"));
  const queried = str(r, "QueriedEntities") ?? str(r, "EntityName") ?? str(r, "ObjectType");
  const isReportExport = b === "report" && operation !== null && /export/i.test(operation);
  const bulkRead =
    rows !== null && rows >= BULK_EXPORT_ROWS && ((operation !== null && /^query/i.test(operation)) || b === "bulkapiresult");
  const { uid, activity } = classify(base, b === "login" || b === "logout" ? null : operation, isReportExport);
  const viaApp = connectedApp !== null && (API_TYPES.test(base) || loginTypeKind(loginType) === "oauth_grant");

  // A person's login through a connected app's OAuth flow (Remote Access 2.0) is the person, with the app as the
  // client; API calls the app then makes with that grant are made as the user (elfKind).
  const kind = elfKind(
    userType,
    null,
    { apiClient: viaApp && b !== "login", serverLogin: false, userAgent: str(r, "UserAgent") },
    userId ?? login ?? delegatedName,
  );
  const oauthLogin = b === "login" && loginTypeKind(loginType) === "oauth_grant";

  const session = sessionOf(loginKey, sessionKey);

  let credential: Credential | null = null;
  if (b === "login" && loginType) credential = loginTypeCredential(loginType);
  else if (viaApp) credential = appAccessToken(sessionKey);

  const statusText = str(r, "Status") ?? (field(r, "IsSuccess") === true ? "Success" : field(r, "IsSuccess") === false ? "Failed" : null);
  // Without a Status field, an API / report event that processed rows did run: success; else unknown.
  const status: EventStatus =
    statusText === null ? (rows !== null && rows > 0 ? "success" : "unknown") : /^success/i.test(statusText) ? "success" : "failure";

  const policyOutcome = str(r, "PolicyOutcome");
  const policyId = keyText(field(r, "PolicyId"));
  const policy: EventPolicy | null = policyOutcome
    ? {
        engine: TS_POLICY_ENGINE,
        result: policyOutcome,
        policy_name: null,
        rule_name: null,
        applied: policyId ? [{ id: policyId, name: null, result: policyOutcome }] : [],
        decision_id: null,
        path: null,
      }
    : null;

  const resources: EventResource[] = [];
  const reportId = keyText(field(r, "ReportId"));
  if (reportId) resources.push({ type: "Report", id: toId18(reportId), name: str(r, "Name") });
  const recordId = keyText(field(r, "RecordId"));
  if (recordId) resources.push({ type: "Record", id: toId18(recordId), name: null });
  const permSetId = keyText(field(r, "PermissionSetId")) ?? keyText(field(r, "ParentIdList"));
  if (b === "permissionset" && permSetId) resources.push({ type: "PermissionSet", id: permSetId, name: null });
  resources.push(...objectResources(queried, resources.length > 0));

  const city = str(r, "City");
  const country = str(r, "Country");
  const region = str(r, "Subdivision");

  const actor = actorOf(initiator, { id: userId, login, type: userType, kind }, resources);
  const event = baseEvent({ ...classOf({ uid, activity }, bulkRead), event_name: objectType, time, actor });
  event.status = status;
  event.status_detail = statusText;
  event.message = str(r, "Summary") ?? str(r, "Description");
  event.session = session;
  event.credential = credential;
  event.auth = b === "login" ? authOf(str(r, "AuthMethodReference"), loginType) : null;
  const appName = str(r, "Application");
  const namedApp = appName !== null && !/^(N\/A|Browser|Unknown)$/i.test(appName) ? appName : null;
  event.client = connectedApp || (oauthLogin && namedApp) ? { app_id: connectedApp, app_name: namedApp } : null;
  event.src_endpoint = {
    ip: sourceIp(field(r, "SourceIp"), { loopback: "keep" }),
    location: city || country || region ? { city, region, country } : null,
  };
  event.user_agent = str(r, "UserAgent");
  event.resources = resources;
  // As for EventLogFile rows: one report's export is a data access, privileged only as a bulk read.
  event.privileged =
    b === "loginas" ||
    initiator !== null ||
    (isReportExport && rows !== null && rows >= BULK_EXPORT_ROWS) ||
    bulkRead ||
    b === "permissionset";
  event.policy = policy;
  event.correlation_id =
    keyText(field(r, "LoginHistoryId")) ?? keyText(field(r, "RequestIdentifier")) ?? keyText(field(r, "RelatedEventIdentifier"));
  event.native_id = keyText(field(r, "EventIdentifier")) ?? keyText(field(r, "Id"));
  event.extra = extraOf({
    shape: "real-time-event",
    object_inferred: inferred || null,
    initiator,
    DelegatedUsername: initiator?.login ?? null,
    LoginAsCategory: str(r, "LoginAsCategory"),
    SessionKey: sessionKey,
    LoginHistoryId: keyText(field(r, "LoginHistoryId")),
    LoginType: loginType,
    LoginSubType: str(r, "LoginSubType"),
    LoginUrl: str(r, "LoginUrl"),
    Application: str(r, "Application"),
    Browser: str(r, "Browser"),
    Platform: str(r, "Platform"),
    ApiType: keyText(field(r, "ApiType")), // "N/A" when not an API login
    ApiVersion: keyText(field(r, "ApiVersion")), // "N/A" when not an API login
    SessionLevel: str(r, "SessionLevel"),
    AuthServiceId: keyText(field(r, "AuthServiceId")),
    CipherSuite: str(r, "CipherSuite"),
    TlsProtocol: str(r, "TlsProtocol"),
    Operation: operation,
    RowsProcessed: rows,
    Query: typeof field(r, "Query") === "string" ? (field(r, "Query") as string).slice(0, 1000) : null,
    PolicyId: policyId,
    EvaluationTime: num(field(r, "EvaluationTime")),
    RelatedEventIdentifier: keyText(field(r, "RelatedEventIdentifier")),
    Score: num(field(r, "Score")),
    ConnectedAppId: connectedAppRaw,
  });
  return [event];
}

// ---- LoginHistory ------------------------------------------------------------------------------------------------

export function normalizeLoginHistory(r: Rec): NormalizedEvent[] {
  const time = parseTime(field(r, "LoginTime"), "LoginTime");
  const userId = id18(null, keyText(field(r, "UserId")));
  const login = keyText(field(r, "Username")) ?? keyText(textAt(r, "User", "Username"));
  const loginType = str(r, "LoginType");
  const kindOfCred = loginTypeKind(loginType);
  const statusText = str(r, "Status");
  const application = str(r, "Application");

  // LoginHistory rows are users signing in; a login through a connected app's OAuth flow (Remote Access 2.0) is
  // still the person, with the app (Application) as the client.
  const kind: ActorKind = userId || login ? "human" : "unknown";

  const event = baseEvent({
    ...ocsfClass(3002),
    activity: "logon",
    event_name: "LoginHistory",
    time,
    actor: { external_id: userId, name: login, login, email: emailShaped(login), type: null, kind_hint: kind },
  });
  event.status = statusText === null ? "unknown" : /^success/i.test(statusText) ? "success" : "failure";
  event.status_detail = statusText;
  event.credential = loginTypeCredential(loginType);
  event.auth = loginType ? { factors: [], mfa: null, protocol: loginType } : null;
  // The OAuth app of a Remote Access login is named by Application; LoginHistory carries no connected app id.
  event.client = kindOfCred === "oauth_grant" && application ? { app_id: null, app_name: application } : null;
  event.src_endpoint = { ip: sourceIp(field(r, "SourceIp"), { loopback: "keep" }), location: null };
  // LoginHistory has no session key; its Id is what LoginEvent.LoginHistoryId and AuthSession refer to.
  event.correlation_id = keyText(field(r, "Id"));
  event.native_id = keyText(field(r, "Id"));
  event.extra = extraOf({
    shape: "login-history",
    LoginType: loginType,
    Application: application,
    Browser: str(r, "Browser"),
    Platform: str(r, "Platform"),
    LoginUrl: str(r, "LoginUrl"),
    ApiType: keyText(field(r, "ApiType")), // "N/A" when not an API login
    ApiVersion: keyText(field(r, "ApiVersion")), // "N/A" when not an API login
    AuthenticationServiceId: keyText(field(r, "AuthenticationServiceId")),
    LoginGeoId: keyText(field(r, "LoginGeoId")),
    CipherSuite: str(r, "CipherSuite"),
    TlsProtocol: str(r, "TlsProtocol"),
    ClientVersion: keyText(field(r, "ClientVersion")), // "N/A" when not an API login
    SourceIp: (() => {
      const s = str(r, "SourceIp");
      return s && !ipOrNull(s) ? s : null;
    })(),
  });
  return [event];
}
