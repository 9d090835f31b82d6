import {
  eventSkeleton,
  ocsfClass,
  type ActorKind,
  type Auth,
  type Credential,
  type CredentialKind,
  type EventResource,
  type EventStatus,
  type NormalizedEvent,
  type OcsfClassUid,
  type RiskSignal,
  toActivity,
} from "@/lib/events/schema";
import { NormalizeError } from "../types";
import { emailShaped, extraOf, field, ipOrNull, isRec, keyText, text, type Json, type Rec } from "../util/fields";
import { unwrapPanther } from "../util/panther";
import { riskField, riskSignal } from "../util/risk";
import { parseTime, tryParseTime } from "../util/time";

// Snowflake ACCOUNT_USAGE views (docs.snowflake.com/en/sql-reference/account-usage/<view>), exported as CSV (header
// row = column names, every value a string, NULL as an empty cell) or JSON (array or NDJSON of objects with the
// same column names; OBJECT_CONSTRUCT(*) exports leave NULL columns out). Column names are read as documented
// (upper case) or all lower case. The view of a record is known from its columns (or from Panther's _log_type):
//  - LOGIN_HISTORY: EVENT_ID, EVENT_TIMESTAMP, EVENT_TYPE, USER_NAME, CLIENT_IP, REPORTED_CLIENT_TYPE/VERSION,
//    FIRST/SECOND_AUTHENTICATION_FACTOR(_ID), IS_SUCCESS, ERROR_CODE, ERROR_MESSAGE, RELATED_EVENT_ID, CONNECTION,
//    CLIENT_PRIVATE_LINK_ID.
//  - SESSIONS: SESSION_ID, CREATED_ON, USER_NAME, AUTHENTICATION_METHOD, LOGIN_EVENT_ID, CLIENT_APPLICATION_ID/
//    VERSION, CLIENT_ENVIRONMENT (JSON text), CLIENT_BUILD_ID, CLIENT_VERSION, CLOSED_REASON.
//  - QUERY_HISTORY: QUERY_ID, QUERY_TEXT, QUERY_TYPE, SESSION_ID, USER_NAME, USER_TYPE, ROLE_NAME, WAREHOUSE_NAME,
//    DATABASE_NAME, SCHEMA_NAME, START_TIME, END_TIME, EXECUTION_STATUS, ERROR_CODE, ERROR_MESSAGE, ROWS_PRODUCED,
//    BYTES_SCANNED, ROWS_UNLOADED, …
//  - ACCESS_HISTORY: QUERY_ID, QUERY_START_TIME, USER_NAME, DIRECT_OBJECTS_ACCESSED, BASE_OBJECTS_ACCESSED,
//    OBJECTS_MODIFIED (JSON arrays; JSON text in CSV), OBJECT_MODIFIED_BY_DDL, POLICIES_REFERENCED, PARENT_QUERY_ID,
//    ROOT_QUERY_ID.
//  - GRANTS_TO_USERS / GRANTS_TO_ROLES (Panther Snowflake.GrantsToUsers / GrantsToRoles): one grant per row.
// DATA_TRANSFER_HISTORY rows (no user, session or query) are refused with the reason.
//
// Times: Snowflake writes TIMESTAMP_LTZ as "2024-10-08 11:24:50.682000000", "2024-10-08 11:24:50.682 -0700" or ISO;
// a time without a zone is read as UTC (the views document their times "in the UTC time zone").
// Numeric ids (EVENT_ID, SESSION_ID, LOGIN_EVENT_ID) above 2^53 lose digits in JSON.parse when a JSON export writes
// them as numbers; such ids are not used as keys (CSV exports and string ids are exact).

export const SNOWFLAKE_PLATFORM = "snowflake";

export type SnowflakeView =
  "LOGIN_HISTORY" | "SESSIONS" | "QUERY_HISTORY" | "ACCESS_HISTORY" | "GRANTS_TO_USERS" | "GRANTS_TO_ROLES" | "DATA_TRANSFER_HISTORY";

const PANTHER_VIEWS: Record<string, SnowflakeView> = {
  "Snowflake.LoginHistory": "LOGIN_HISTORY",
  "Snowflake.Sessions": "SESSIONS",
  "Snowflake.QueryHistory": "QUERY_HISTORY",
  "Snowflake.AccessHistory": "ACCESS_HISTORY",
  "Snowflake.GrantsToUsers": "GRANTS_TO_USERS",
  "Snowflake.GrantsToRoles": "GRANTS_TO_ROLES",
  "Snowflake.DataTransferHistory": "DATA_TRANSFER_HISTORY",
};

const has = (r: Rec, k: string) => field(r, k) !== undefined;

/** The ACCOUNT_USAGE view a record comes from, by its columns (names unique to that view); null when none fits. */
export function viewOf(r: Rec): SnowflakeView | null {
  if (
    has(r, "DIRECT_OBJECTS_ACCESSED") ||
    has(r, "BASE_OBJECTS_ACCESSED") ||
    has(r, "OBJECTS_MODIFIED") ||
    has(r, "OBJECT_MODIFIED_BY_DDL")
  ) {
    return has(r, "QUERY_START_TIME") || has(r, "QUERY_ID") ? "ACCESS_HISTORY" : null;
  }
  if (
    has(r, "EVENT_TIMESTAMP") &&
    (has(r, "EVENT_ID") || has(r, "IS_SUCCESS") || has(r, "FIRST_AUTHENTICATION_FACTOR") || has(r, "REPORTED_CLIENT_TYPE"))
  )
    return "LOGIN_HISTORY";
  if (has(r, "EVENT_ID") && (has(r, "FIRST_AUTHENTICATION_FACTOR") || has(r, "REPORTED_CLIENT_TYPE")) && has(r, "IS_SUCCESS"))
    return "LOGIN_HISTORY";
  if (has(r, "SESSION_ID") && (has(r, "LOGIN_EVENT_ID") || (has(r, "AUTHENTICATION_METHOD") && has(r, "CLIENT_APPLICATION_ID"))))
    return "SESSIONS";
  if (
    (has(r, "QUERY_TEXT") || has(r, "QUERY_ID")) &&
    has(r, "QUERY_TYPE") &&
    (has(r, "EXECUTION_STATUS") || has(r, "WAREHOUSE_NAME") || has(r, "START_TIME"))
  )
    return "QUERY_HISTORY";
  if (has(r, "GRANTEE_NAME") && has(r, "GRANTED_BY")) {
    if (has(r, "PRIVILEGE") && has(r, "GRANTED_ON")) return "GRANTS_TO_ROLES";
    if (has(r, "CREATED_ON") && has(r, "GRANTED_TO")) return "GRANTS_TO_USERS";
  }
  if (has(r, "SOURCE_CLOUD") && has(r, "TARGET_CLOUD") && has(r, "BYTES_TRANSFERRED")) return "DATA_TRANSFER_HISTORY";
  return null;
}

/** Text of a column; NULL placeholders and empty CSV cells are null. */
function col(r: Rec, k: string): string | null {
  return text(field(r, k));
}

/** An id column as a key: non-empty text; a JSON number beyond 2^53 (digits already lost by JSON.parse) is no key. */
function idCol(r: Rec, k: string): string | null {
  const v = field(r, k);
  if (typeof v === "number" && !Number.isSafeInteger(v)) return null;
  const t = keyText(v);
  return t === "0" ? null : t;
}

function num(r: Rec, k: string): number | null {
  const v = field(r, k);
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  if (typeof v === "string" && /^-?\d+(\.\d+)?$/.test(v.trim())) return Number(v);
  return null;
}

/** A JSON column: the value itself (JSON export) or the JSON text of a CSV cell; undefined when absent/empty. */
function jsonCol(r: Rec, k: string): unknown {
  const v = field(r, k);
  if (typeof v !== "string") return v === null ? undefined : v;
  const t = v.trim();
  if (t === "" || t === "NULL" || t === "null") return undefined;
  if (t[0] !== "[" && t[0] !== "{") throw new NormalizeError(`${k} is not a JSON array or object`);
  try {
    return JSON.parse(t);
  } catch {
    throw new NormalizeError(`${k} is not valid JSON`);
  }
}

function timeOf(r: Rec, k: string, panther: boolean): { time: Date; from: string } {
  const v = field(r, k);
  if ((v === undefined || v === null || v === "") && panther) {
    // Panther's own parse of the view's time column (its p_event_time), used only when the column itself is absent.
    const p = tryParseTime(r.p_event_time);
    if (p) return { time: p, from: "p_event_time" };
  }
  return { time: parseTime(v, k), from: k };
}

// --- actors, credentials ----------------------------------------------------------------------------------

type ActorIn = { user: string | null; type?: string | null; kind?: ActorKind };

function actorOf({ user, type = null, kind = "unknown" }: ActorIn): NormalizedEvent["actor"] {
  return { external_id: null, name: user, login: user, email: emailShaped(user), type, kind_hint: kind };
}

/**
 * QUERY_HISTORY.USER_TYPE (the user's TYPE property): PERSON → human, SERVICE / LEGACY_SERVICE → service_account,
 * SNOWFLAKE_SERVICE → system. Snowflake's serverless tasks run as the user SYSTEM → system. A user whose TYPE is
 * not recorded is a person: "NULL: functions the same as PERSON" (Snowflake user management, types of users; since
 * the 2025_05 bundle an unset TYPE becomes PERSON), and a SERVICE user is created as such on purpose.
 */
function kindOfUser(userType: string | null, user: string | null): ActorKind {
  switch (userType?.toUpperCase()) {
    case "PERSON":
      return "human";
    case "SERVICE":
    case "LEGACY_SERVICE":
      return "service_account";
    case "SNOWFLAKE_SERVICE":
      return "system";
  }
  return user === "SYSTEM" ? "system" : "human";
}

// The Snowflake web interfaces (Snowsight, the Classic Console): LOGIN_HISTORY.REPORTED_CLIENT_TYPE SNOWFLAKE_UI,
// SESSIONS.CLIENT_APPLICATION_ID "Snowflake UI …" / "Snowflake Web App". Snowsight signs a person in with
// Snowflake OAuth, so an OAuth login from the UI is the person, not a third-party app.
const UI_CLIENT = /^(SNOWFLAKE_UI|Snowflake UI\b|Snowflake Web App|Snowsight)/i;

/** FIRST_AUTHENTICATION_FACTOR / SESSIONS.AUTHENTICATION_METHOD → credential kind. */
function factorKind(factor: string): CredentialKind {
  const f = factor.toUpperCase().replace(/[\s-]+/g, "_");
  if (f === "PASSWORD") return "password";
  if (f === "OAUTH_ACCESS_TOKEN" || f === "OAUTH" || f === "EXTERNAL_OAUTH") return "access_token";
  if (f === "OAUTH_REFRESH_TOKEN") return "refresh_token";
  if (f === "PROGRAMMATIC_ACCESS_TOKEN" || f === "PAT") return "api_token";
  if (f.startsWith("SAML")) return "saml_assertion";
  // RSA_KEYPAIR (key-pair JWT), WORKLOAD_IDENTITY, JWT, …: the schema has no kind for a registered public key.
  return "unknown";
}

/**
 * kind_hint from the login's own factors and client (LOGIN_HISTORY and SESSIONS have no user type): a programmatic
 * access token → api_token; OAuth through a client other than Snowflake's own UI → oauth_app (a partner app acting
 * for the user); workload identity federation → workload; otherwise the user, a person unless typed otherwise
 * (see kindOfUser).
 */
function kindOfLogin(first: string | null, client: string | null): ActorKind {
  const f = first?.toUpperCase().replace(/[\s-]+/g, "_") ?? "";
  if (f === "PROGRAMMATIC_ACCESS_TOKEN" || f === "PAT") return "api_token";
  if (f === "OAUTH_ACCESS_TOKEN" || f === "OAUTH_REFRESH_TOKEN" || f === "OAUTH" || f === "EXTERNAL_OAUTH")
    return client && UI_CLIENT.test(client) ? "human" : "oauth_app";
  if (f === "WORKLOAD_IDENTITY") return "workload";
  return "human";
}

// --- SQL text -----------------------------------------------------------------------------------------------

const SECRET_ASSIGN =
  /\b(PASSWORD|AWS_KEY_ID|AWS_SECRET_KEY|AWS_TOKEN|AZURE_SAS_TOKEN|MASTER_KEY|KMS_KEY_ID|SECRET_STRING|OAUTH_CLIENT_SECRET|OAUTH_REFRESH_TOKEN|TOKEN|PRIVATE_KEY|API_KEY)(\s*=\s*)('(?:[^'\\]|\\.|'')*'?|"[^"]*"?|[^\s,)]+)/gi;
const QUERY_TEXT_MAX = 1000;

/** QUERY_TEXT for extra: secrets assigned in the statement (PASSWORD = '…', credentials of COPY/stages) masked, capped. */
export function redactSql(sql: string): string {
  const masked = sql.replace(SECRET_ASSIGN, (_, k: string, eq: string) => `${k}${eq}'***'`);
  return masked.length > QUERY_TEXT_MAX ? `${masked.slice(0, QUERY_TEXT_MAX)}…` : masked;
}

const IDENT = `("(?:[^"]|"")+"|[A-Za-z_$][\\w$.]*(?:\\."(?:[^"]|"")+")*)`;
const USER_DDL = new RegExp(
  `^\\s*(CREATE|ALTER|DROP|DESC(?:RIBE)?|SHOW)\\s+(?:OR\\s+REPLACE\\s+)?USER\\s+(?:IF\\s+(?:NOT\\s+)?EXISTS\\s+)?${IDENT}`,
  "i",
);
const ROLE_DDL = new RegExp(
  `^\\s*(CREATE|ALTER|DROP)\\s+(?:OR\\s+REPLACE\\s+)?(DATABASE\\s+ROLE|ROLE)\\s+(?:IF\\s+(?:NOT\\s+)?EXISTS\\s+)?${IDENT}`,
  "i",
);
const GRANT_ROLE = new RegExp(
  `^\\s*(GRANT|REVOKE)\\s+(?:DATABASE\\s+)?ROLE\\s+${IDENT}\\s+(?:TO|FROM)\\s+(USER|ROLE|DATABASE\\s+ROLE)\\s+${IDENT}`,
  "i",
);
const GRANT_PRIV = new RegExp(
  `^\\s*(GRANT|REVOKE)\\s+(?:GRANT\\s+OPTION\\s+FOR\\s+)?(.+?)\\s+ON\\s+(?:(?:FUTURE|ALL)\\s+)?(ACCOUNT|[A-Z_ ]+?)\\s*${IDENT}?\\s+(?:TO|FROM)\\s+(USER|ROLE|SHARE|DATABASE\\s+ROLE|APPLICATION(?:\\s+ROLE)?)\\s+${IDENT}`,
  "i",
);
const STAGE_REF = /@(~|%?[A-Za-z_$"][\w$."]*)/;
const COPY_INTO_LOCATION = /^\s*COPY\s+INTO\s+['"]?(@|s3:\/\/|gcs:\/\/|azure:\/\/)/i;
const COPY_INTO_TABLE = /^\s*COPY\s+INTO\s+(?!['"]?(@|s3:\/\/|gcs:\/\/|azure:\/\/))/i;
const GET_FILES = /^\s*GET\s+['"]?@/i;
const SECURITY_DDL =
  /^\s*(CREATE|ALTER|DROP)\s+(?:OR\s+REPLACE\s+)?(?:(?:SECURITY|STORAGE|API|NOTIFICATION|EXTERNAL\s+ACCESS)\s+INTEGRATION|INTEGRATION|NETWORK\s+(?:POLICY|RULE)|(?:MASKING|ROW\s+ACCESS|PASSWORD|SESSION|AUTHENTICATION|AGGREGATION|PROJECTION|PACKAGES|JOIN)\s+POLICY|SHARE|ACCOUNT)\b|^\s*ALTER\s+ACCOUNT\b|^\s*ALTER\s+USER\b.*\b(ADD|MODIFY|ROTATE)\s+PROGRAMMATIC\s+ACCESS\s+TOKEN/i;

const unquote = (s: string) => (s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1).replace(/""/g, '"') : s);

type Classified = { uid: OcsfClassUid; activity: string; privileged: boolean; resources: EventResource[]; exported: boolean };

/**
 * A query's class, activity, privilege and named targets, from QUERY_TYPE and the statement. Privileged: GRANT /
 * REVOKE, user and role DDL (CREATE/ALTER/DROP USER/ROLE), security objects (integrations, network / masking /
 * row access / password / session / authentication policies, shares, ALTER ACCOUNT, programmatic access tokens),
 * and data exports: COPY INTO a stage or external location (QUERY_TYPE UNLOAD), GET (GET_FILES), or any query with
 * ROWS_UNLOADED > 0. A "COPY INTO <table> FROM @stage" is a load, not an export, whatever QUERY_TYPE says.
 */
function classifyQuery(queryType: string | null, sql: string | null, rowsUnloaded: number | null): Classified {
  const qt = (queryType ?? "").toUpperCase();
  const s = sql ?? "";
  const resources: EventResource[] = [];
  const res = (type: string, name: string) => resources.push({ type, id: null, name: unquote(name) });
  let m: RegExpExecArray | null;

  if ((m = GRANT_ROLE.exec(s))) {
    res(/USER/i.test(m[3]) ? "User" : "Role", m[4]);
    res("Role", m[2]);
  } else if ((m = GRANT_PRIV.exec(s))) {
    res(/USER/i.test(m[5]) ? "User" : /SHARE/i.test(m[5]) ? "Share" : "Role", m[6]);
    if (m[4])
      res(
        m[3]
          .trim()
          .replace(/\b\w/g, (c) => c.toUpperCase())
          .replace(/\B\w+/g, (w) => w.toLowerCase()),
        m[4],
      );
  } else if ((m = USER_DDL.exec(s))) {
    res("User", m[2]);
  } else if ((m = ROLE_DDL.exec(s))) {
    res("Role", m[3]);
  }

  if (qt === "GRANT" || qt === "REVOKE" || /^(GRANT|REVOKE)\b/i.test(s.trimStart())) {
    const revoke = qt === "REVOKE" || /^REVOKE\b/i.test(s.trimStart());
    return { uid: 3005, activity: revoke ? "revoke_privileges" : "assign_privileges", privileged: true, resources, exported: false };
  }
  if (/(^|_)USER(_|$)/.test(qt) && !/^(DESCRIBE|SHOW)/.test(qt)) {
    const a = qt.startsWith("CREATE") ? "create" : qt.startsWith("DROP") ? "delete" : "update";
    return { uid: 3001, activity: a, privileged: true, resources, exported: false };
  }
  if (/(^|_)(ROLE|DATABASE_ROLE)(_|$)/.test(qt) && !/^(DESCRIBE|SHOW)/.test(qt)) {
    const a = qt.startsWith("CREATE") ? "create" : qt.startsWith("DROP") ? "delete" : "update";
    return { uid: 3005, activity: a, privileged: true, resources, exported: false };
  }
  if (USER_DDL.exec(s) && !/^\s*(DESC|SHOW)/i.test(s)) {
    const a = /^\s*CREATE/i.test(s) ? "create" : /^\s*DROP/i.test(s) ? "delete" : "update";
    return { uid: 3001, activity: a, privileged: true, resources, exported: false };
  }
  if (ROLE_DDL.exec(s)) {
    const a = /^\s*CREATE/i.test(s) ? "create" : /^\s*DROP/i.test(s) ? "delete" : "update";
    return { uid: 3005, activity: a, privileged: true, resources, exported: false };
  }

  const load = COPY_INTO_TABLE.test(s);
  const exported =
    !load && (qt === "UNLOAD" || qt === "GET_FILES" || COPY_INTO_LOCATION.test(s) || GET_FILES.test(s) || (rowsUnloaded ?? 0) > 0);
  const stage = STAGE_REF.exec(s);
  if (stage && (exported || load)) res("Stage", stage[1]);
  if (exported) return { uid: 6005, activity: "export", privileged: true, resources, exported: true };

  const securityChange =
    SECURITY_DDL.test(s) || /(INTEGRATION|NETWORK_POLICY|_POLICY$|^ALTER_ACCOUNT|SHARE)/.test(qt.replace(/^(DESCRIBE|SHOW)_.*/, ""));
  return { uid: 6005, activity: load ? "create" : queryVerb(qt, s), privileged: securityChange, resources, exported: false };
}

function queryVerb(qt: string, sql: string): string {
  const k = qt || (/^\s*(\w+)/.exec(sql)?.[1]?.toUpperCase() ?? "");
  if (/^(SELECT|SHOW|DESCRIBE|DESC|LIST|EXPLAIN|USE|CALL)/.test(k)) return "read";
  if (/^(INSERT|COPY|CREATE|PUT|CLONE|UNDROP)/.test(k)) return "create";
  if (/^(UPDATE|MERGE|ALTER|RENAME|SET|UNSET|COMMENT|BEGIN|COMMIT|ROLLBACK)/.test(k)) return "update";
  if (/^(DELETE|DROP|TRUNCATE|REMOVE)/.test(k)) return "delete";
  return "other";
}

// --- common event shell -------------------------------------------------------------------------------------

type Shell = {
  uid: OcsfClassUid;
  activity: string;
  event_name: string;
  time: Date;
  status: EventStatus;
  status_detail: string | null;
  actor: NormalizedEvent["actor"];
};

function event(s: Shell, { risk, ...rest }: Partial<NormalizedEvent>): NormalizedEvent {
  const { correlation_id, native_id, extra, ...head } = {
    ...eventSkeleton({
      platform: SNOWFLAKE_PLATFORM,
      ...ocsfClass(s.uid),
      activity: toActivity(s.activity),
      event_name: s.event_name,
      time: s.time,
      actor: s.actor,
    }),
    status: s.status,
    status_detail: s.status_detail,
    ...rest,
  };
  // The skeleton's order, with the optional vendor risk signal in its place after `approval`.
  return { ...head, ...riskField(risk ?? null), correlation_id, native_id, extra };
}

function errorDetail(r: Rec): string | null {
  const code = col(r, "ERROR_CODE");
  const msg = col(r, "ERROR_MESSAGE");
  return code && msg ? `${code}: ${msg}` : (msg ?? code);
}

/**
 * A login Snowflake refused because of a network policy: LOGIN_HISTORY IS_SUCCESS NO with error 390422 ("Incoming
 * request with IP/Token … is not allowed to access Snowflake", https://docs.snowflake.com/en/user-guide/network-policies
 * and the LOGIN_HISTORY view, https://docs.snowflake.com/en/sql-reference/account-usage/login_history). Snowflake gives
 * no level: severity medium (the policy held, but the user's name was tried from a network it does not allow). Other
 * failed logins (wrong password, expired token) are failures, not a vendor risk verdict.
 */
function blockedLogin(r: Rec, failed: boolean): RiskSignal | null {
  const code = col(r, "ERROR_CODE");
  const msg = col(r, "ERROR_MESSAGE");
  if (!failed || !(code === "390422" || /not allowed to access Snowflake/i.test(msg ?? ""))) return null;
  return riskSignal({
    signal: "snowflake.blocked_login",
    label: "Snowflake login blocked by a network policy",
    severity: "medium",
    vendorState: code,
    reasons: [msg ?? code],
  });
}

function sessionOf(r: Rec): NormalizedEvent["session"] {
  const id = idCol(r, "SESSION_ID");
  return id ? { key: id, key_type: "snowflake.SESSION_ID", root_key: null, issuer: null } : null;
}

// --- views --------------------------------------------------------------------------------------------------

function loginHistory(r: Rec, panther: boolean): NormalizedEvent {
  const { time, from } = timeOf(r, "EVENT_TIMESTAMP", panther);
  const eventType = col(r, "EVENT_TYPE");
  const user = keyText(field(r, "USER_NAME"));
  const first = col(r, "FIRST_AUTHENTICATION_FACTOR");
  const second = col(r, "SECOND_AUTHENTICATION_FACTOR");
  const success = col(r, "IS_SUCCESS")?.toUpperCase();
  const eventId = idCol(r, "EVENT_ID");
  const firstId = idCol(r, "FIRST_AUTHENTICATION_FACTOR_ID");
  const secondId = idCol(r, "SECOND_AUTHENTICATION_FACTOR_ID");

  // mfa: a second factor → true. The column present but NULL/empty ("if the user did not use multi-factor
  // authentication, this value is NULL") → false only for a successful PASSWORD login, where Snowflake itself would
  // have asked for the second factor. SAML / OAuth / key-pair / token logins leave MFA to the IdP or to nobody:
  // unknown (null), never false; a failed login ended before any second factor: null. Column absent → null.
  const secondRecorded = has(r, "SECOND_AUTHENTICATION_FACTOR");
  const failed = success === "NO" || success === "FALSE";
  const passwordFirst = first !== null && factorKind(first) === "password";
  const mfa = second ? true : secondRecorded && passwordFirst && !failed ? false : null;
  const auth: Auth | null =
    first || secondRecorded ? { factors: [first, second].filter((f): f is string => f !== null), mfa, protocol: null } : null;
  const credential: Credential | null = first
    ? {
        key: firstId,
        key_type: firstId ? "snowflake.FIRST_AUTHENTICATION_FACTOR_ID" : null,
        kind: factorKind(first),
        native_type: first,
        parent_key: null,
        parent_key_type: null,
        parent_kind: null,
      }
    : null;
  const clientType = col(r, "REPORTED_CLIENT_TYPE");
  const clientVersion = col(r, "REPORTED_CLIENT_VERSION");
  const ip = col(r, "CLIENT_IP");
  const integration = col(r, "AUTHORIZING_INTEGRATION_NAME");
  const type = eventType?.toUpperCase();
  return event(
    {
      uid: 3002,
      activity: type === "LOGIN" ? "logon" : type === "LOGOUT" ? "logoff" : "other",
      event_name: eventType ?? "LOGIN_HISTORY",
      time,
      status: success === "YES" || success === "TRUE" ? "success" : success === "NO" || success === "FALSE" ? "failure" : "unknown",
      status_detail: errorDetail(r),
      actor: actorOf({ user, kind: kindOfLogin(first, col(r, "REPORTED_CLIENT_TYPE")) }),
    },
    {
      auth,
      credential,
      client: integration ? { app_id: null, app_name: integration } : null,
      // 0.0.0.0 is what Snowflake writes for elided failures (OVERFLOW_FAILURE_EVENTS_ELIDED): no address.
      src_endpoint: { ip: ip === "0.0.0.0" ? null : ipOrNull(ip), location: null },
      user_agent: clientType ? (clientVersion && clientVersion !== "0" ? `${clientType} ${clientVersion}` : clientType) : null,
      // EVENT_ID is what SESSIONS.LOGIN_EVENT_ID points to: the session events carry the same correlation_id.
      correlation_id: eventId,
      native_id: eventId,
      ...riskField(blockedLogin(r, failed)),
      extra: extraOf({
        view: "LOGIN_HISTORY",
        LOGIN_EVENT_ID: eventId,
        RELATED_EVENT_ID: idCol(r, "RELATED_EVENT_ID"),
        SECOND_AUTHENTICATION_FACTOR_ID: secondId,
        ERROR_CODE: col(r, "ERROR_CODE"),
        CLIENT_IP: ip && !ipOrNull(ip) ? ip : null,
        CONNECTION: col(r, "CONNECTION"),
        CLIENT_PRIVATE_LINK_ID: col(r, "CLIENT_PRIVATE_LINK_ID"),
        READER_ACCOUNT_NAME: col(r, "READER_ACCOUNT_NAME"),
        time_field: from === "p_event_time" ? from : null,
      }),
    },
  );
}

const ENV_KEYS = [
  "APPLICATION",
  "OS",
  "OS_VERSION",
  "OCSP_MODE",
  "JAVA_VERSION",
  "JAVA_RUNTIME",
  "PYTHON_VERSION",
  "PYTHON_RUNTIME",
  "PYTHON_COMPILER",
  "LOGIN_TIMEOUT",
  "NETWORK_TIMEOUT",
  "BROWSER_VERSION",
];

/** The scalar entries of CLIENT_ENVIRONMENT that describe the client (application, OS, runtime), small. */
function clientEnvironment(r: Rec): Record<string, Json> | null {
  let env: unknown;
  try {
    env = jsonCol(r, "CLIENT_ENVIRONMENT");
  } catch {
    return null; // free text or damaged: the raw record keeps it
  }
  if (!isRec(env)) return null;
  const out: Record<string, Json> = {};
  for (const k of ENV_KEYS) {
    const t = text(env[k]);
    if (t !== null) out[k] = t.length > 200 ? t.slice(0, 200) : t;
  }
  return Object.keys(out).length ? out : null;
}

function sessions(r: Rec, panther: boolean): NormalizedEvent {
  const { time, from } = timeOf(r, "CREATED_ON", panther);
  const user = keyText(field(r, "USER_NAME"));
  const method = col(r, "AUTHENTICATION_METHOD");
  const loginEventId = idCol(r, "LOGIN_EVENT_ID");
  const session = sessionOf(r);
  if (!session) throw new NormalizeError("not a Snowflake SESSIONS row: SESSION_ID is missing or not exact (a JSON number beyond 2^53)");
  const env = clientEnvironment(r);
  return event(
    {
      uid: 3002,
      activity: "session_start",
      event_name: "SESSIONS",
      time,
      status: "success",
      status_detail: null,
      actor: actorOf({ user, kind: kindOfLogin(method, col(r, "CLIENT_APPLICATION_ID")) }),
    },
    {
      session,
      auth: method ? { factors: [method], mfa: null, protocol: null } : null,
      credential: method
        ? {
            key: null,
            key_type: null,
            kind: factorKind(method),
            native_type: method,
            parent_key: null,
            parent_key_type: null,
            parent_kind: null,
          }
        : null,
      user_agent: col(r, "CLIENT_APPLICATION_ID"),
      correlation_id: loginEventId,
      native_id: session.key,
      extra: extraOf({
        view: "SESSIONS",
        LOGIN_EVENT_ID: loginEventId,
        CLIENT_APPLICATION_VERSION: col(r, "CLIENT_APPLICATION_VERSION"),
        CLIENT_BUILD_ID: col(r, "CLIENT_BUILD_ID"),
        CLIENT_VERSION: col(r, "CLIENT_VERSION"),
        CLIENT_ENVIRONMENT: env,
        CLOSED_REASON: col(r, "CLOSED_REASON"),
        time_field: from === "p_event_time" ? from : null,
      }),
    },
  );
}

function statusOfExecution(s: string | null): EventStatus {
  const u = s?.toUpperCase() ?? "";
  if (u === "SUCCESS") return "success";
  if (u.startsWith("FAIL") || u === "INCIDENT" || u.includes("ERROR")) return "failure";
  return "unknown";
}

function queryHistory(r: Rec, panther: boolean): NormalizedEvent {
  const { time, from } = timeOf(r, "START_TIME", panther);
  const user = keyText(field(r, "USER_NAME"));
  const userType = col(r, "USER_TYPE");
  const queryType = col(r, "QUERY_TYPE");
  const sql = col(r, "QUERY_TEXT");
  const queryId = idCol(r, "QUERY_ID");
  const status = col(r, "EXECUTION_STATUS");
  const rowsUnloaded = num(r, "ROWS_UNLOADED");
  const c = classifyQuery(queryType, sql, rowsUnloaded);
  const st = statusOfExecution(status);
  return event(
    {
      uid: c.uid,
      activity: c.activity,
      event_name: queryType ?? "QUERY_HISTORY",
      time,
      status: st,
      status_detail: errorDetail(r) ?? (st === "success" ? null : status),
      actor: actorOf({ user, type: userType, kind: kindOfUser(userType, user) }),
    },
    {
      session: sessionOf(r),
      resources: c.resources,
      privileged: c.privileged,
      correlation_id: queryId,
      native_id: queryId,
      extra: extraOf({
        view: "QUERY_HISTORY",
        QUERY_ID: queryId,
        QUERY_TYPE: queryType,
        QUERY_TEXT: sql ? redactSql(sql) : null,
        ROLE_NAME: col(r, "ROLE_NAME"),
        ROLE_TYPE: col(r, "ROLE_TYPE"),
        WAREHOUSE_NAME: col(r, "WAREHOUSE_NAME"),
        DATABASE_NAME: col(r, "DATABASE_NAME"),
        SCHEMA_NAME: col(r, "SCHEMA_NAME"),
        EXECUTION_STATUS: status,
        ERROR_CODE: col(r, "ERROR_CODE"),
        END_TIME: col(r, "END_TIME"),
        ROWS_PRODUCED: num(r, "ROWS_PRODUCED"),
        BYTES_SCANNED: num(r, "BYTES_SCANNED"),
        ROWS_UNLOADED: rowsUnloaded,
        QUERY_TAG: col(r, "QUERY_TAG"),
        data_export: c.exported || null,
        time_field: from === "p_event_time" ? from : null,
      }),
    },
  );
}

type AccessedObject = { objectDomain?: unknown; objectId?: unknown; objectName?: unknown; columns?: unknown; stageKind?: unknown };

const MAX_OBJECTS = 25;
const MAX_COLUMNS = 50;

function objectsOf(r: Rec, k: string): AccessedObject[] {
  const v = jsonCol(r, k);
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new NormalizeError(`${k} is not a JSON array`);
  return v.filter(isRec) as AccessedObject[];
}

function columnNames(o: AccessedObject): string[] {
  if (!Array.isArray(o.columns)) return [];
  const out: string[] = [];
  for (const c of o.columns) {
    const n = text(field(c, "columnName"));
    if (n !== null && out.length < MAX_COLUMNS) out.push(n);
  }
  return out;
}

/** Policy names in POLICIES_REFERENCED: object-level `policies` (row access) and columns[].policies (masking). */
function policyNames(v: unknown): string[] {
  const out: string[] = [];
  const take = (list: unknown) => {
    if (!Array.isArray(list)) return;
    for (const p of list) {
      const n = text(field(p, "policyName"));
      if (n !== null && !out.includes(n) && out.length < MAX_OBJECTS) out.push(n);
    }
  };
  if (!Array.isArray(v)) return out;
  for (const o of v) {
    take(field(o, "policies"));
    const cols = field(o, "columns");
    if (Array.isArray(cols)) for (const c of cols) take(field(c, "policies"));
  }
  return out;
}

function accessHistory(r: Rec, panther: boolean): NormalizedEvent {
  const { time, from } = timeOf(r, "QUERY_START_TIME", panther);
  const user = keyText(field(r, "USER_NAME"));
  const queryId = idCol(r, "QUERY_ID");
  const modified = objectsOf(r, "OBJECTS_MODIFIED");
  const direct = objectsOf(r, "DIRECT_OBJECTS_ACCESSED");
  const base = objectsOf(r, "BASE_OBJECTS_ACCESSED");
  const ddl = jsonCol(r, "OBJECT_MODIFIED_BY_DDL");
  const policies = jsonCol(r, "POLICIES_REFERENCED");

  const resources: EventResource[] = [];
  const columns: Record<string, Json> = {};
  const add = (o: AccessedObject, modifiedHere: boolean) => {
    const id = keyText(o.objectId);
    const name = text(o.objectName);
    if (!id && !name) return;
    const type = text(o.objectDomain) ?? "Object";
    if (!resources.some((x) => x.type === type && x.id === id && x.name === name) && resources.length < MAX_OBJECTS)
      resources.push({ type, id, name });
    const cols = columnNames(o);
    const key = `${modifiedHere ? "modified" : "accessed"}:${name ?? id}`;
    if (cols.length && Object.keys(columns).length < MAX_OBJECTS) columns[key] = cols;
  };
  const ddlRec = isRec(ddl) ? ddl : null;
  if (ddlRec) add(ddlRec as AccessedObject, true);
  for (const o of modified) add(o, true);
  for (const o of direct) add(o, false);

  const op = text(field(ddlRec, "operationType"))?.toUpperCase() ?? null;
  const ddlDomain = text(field(ddlRec, "objectDomain"))?.toUpperCase() ?? "";
  const grant = op === "GRANT" || op === "REVOKE";
  const identityDdl =
    op !== null &&
    /^(USER|ROLE|DATABASE ROLE|DATABASE_ROLE|INTEGRATION|SECURITY INTEGRATION|NETWORK POLICY|MASKING POLICY|ROW ACCESS POLICY|PASSWORD POLICY|SESSION POLICY|AUTHENTICATION POLICY|SHARE)$/.test(
      ddlDomain,
    );
  // Writing into a stage (COPY INTO @stage, i.e. an unload) is a data export.
  const unload = modified.some((o) => /stage/i.test(text(o.objectDomain) ?? ""));

  let uid: OcsfClassUid = 6005;
  let activity = modified.length ? "update" : "read";
  if (grant) {
    uid = 3005;
    activity = op === "REVOKE" ? "revoke_privileges" : "assign_privileges";
  } else if (op) {
    activity = op === "CREATE" || op === "UNDROP" ? "create" : op === "DROP" ? "delete" : "update";
    if (ddlDomain === "USER") uid = 3001;
    else if (/ROLE/.test(ddlDomain)) uid = 3005;
  } else if (unload) activity = "export";

  const policySummary = policyNames(policies);

  return event(
    // ACCESS_HISTORY has no outcome column (and no user type: the user is a person unless typed otherwise).
    {
      uid,
      activity,
      event_name: "ACCESS_HISTORY",
      time,
      status: "unknown",
      status_detail: null,
      actor: actorOf({ user, kind: kindOfUser(null, user) }),
    },
    {
      resources,
      privileged: grant || identityDdl || unload,
      correlation_id: queryId,
      native_id: queryId,
      extra: extraOf({
        view: "ACCESS_HISTORY",
        QUERY_ID: queryId,
        PARENT_QUERY_ID: idCol(r, "PARENT_QUERY_ID"),
        ROOT_QUERY_ID: idCol(r, "ROOT_QUERY_ID"),
        columns: Object.keys(columns).length ? columns : null,
        BASE_OBJECTS_ACCESSED: base.length
          ? base
              .map((o) => text(o.objectName) ?? keyText(o.objectId))
              .filter((n) => n !== null)
              .slice(0, MAX_OBJECTS)
          : null,
        operationType: op,
        POLICIES_REFERENCED: policySummary.length ? policySummary : null,
        data_export: unload || null,
        time_field: from === "p_event_time" ? from : null,
      }),
    },
  );
}

function grantsToUsers(r: Rec, panther: boolean): NormalizedEvent[] {
  const created = timeOf(r, "CREATED_ON", panther);
  const grantee = keyText(field(r, "GRANTEE_NAME"));
  const role = keyText(field(r, "ROLE"));
  const grantedTo = col(r, "GRANTED_TO");
  const resources: EventResource[] = [];
  if (grantee) resources.push({ type: grantedTo === "APPLICATION_ROLE" ? "Application role" : "User", id: null, name: grantee });
  if (role) resources.push({ type: "Role", id: null, name: role });
  const extra = extraOf({
    view: "GRANTS_TO_USERS",
    GRANTED_BY: col(r, "GRANTED_BY"),
    GRANTED_TO: grantedTo,
    ROLE: role,
    GRANTEE_NAME: grantee,
    DELETED_ON: col(r, "DELETED_ON"),
  });
  // GRANTED_BY is the role that authorized the grant, not a user: the actor is not recorded.
  const actor = actorOf({ user: null });
  const shell = { uid: 3005 as const, event_name: "GRANTS_TO_USERS", status: "success" as const, status_detail: null, actor };
  const out = [event({ ...shell, activity: "assign_privileges", time: created.time }, { resources, privileged: true, extra })];
  const deleted = tryParseTime(field(r, "DELETED_ON"));
  if (deleted) out.push(event({ ...shell, activity: "revoke_privileges", time: deleted }, { resources, privileged: true, extra }));
  return out;
}

function grantsToRoles(r: Rec, panther: boolean): NormalizedEvent[] {
  const created = timeOf(r, "CREATED_ON", panther);
  const grantee = keyText(field(r, "GRANTEE_NAME"));
  const privilege = col(r, "PRIVILEGE");
  const grantedOn = col(r, "GRANTED_ON");
  const name = col(r, "NAME");
  const qualified = [col(r, "TABLE_CATALOG"), col(r, "TABLE_SCHEMA"), name].filter((p) => p !== null).join(".") || null;
  const resources: EventResource[] = [];
  if (grantee) resources.push({ type: col(r, "GRANTED_TO") === "DATABASE_ROLE" ? "Database role" : "Role", id: null, name: grantee });
  if (qualified)
    resources.push({
      type: grantedOn ? grantedOn.charAt(0) + grantedOn.slice(1).toLowerCase().replace(/_/g, " ") : "Object",
      id: null,
      name: qualified,
    });
  const extra = extraOf({
    view: "GRANTS_TO_ROLES",
    PRIVILEGE: privilege,
    GRANTED_ON: grantedOn,
    GRANTED_TO: col(r, "GRANTED_TO"),
    GRANT_OPTION: col(r, "GRANT_OPTION"),
    GRANTED_BY: col(r, "GRANTED_BY"),
    GRANTED_BY_ROLE_TYPE: col(r, "GRANTED_BY_ROLE_TYPE"),
    DELETED_ON: col(r, "DELETED_ON"),
  });
  const actor = actorOf({ user: null });
  const shell = { uid: 3005 as const, event_name: "GRANTS_TO_ROLES", status: "success" as const, status_detail: null, actor };
  const out = [event({ ...shell, activity: "assign_privileges", time: created.time }, { resources, privileged: true, extra })];
  const deleted = tryParseTime(field(r, "DELETED_ON"));
  if (deleted) out.push(event({ ...shell, activity: "revoke_privileges", time: deleted }, { resources, privileged: true, extra }));
  return out;
}

export function normalizeSnowflake(record: unknown): NormalizedEvent[] {
  const { record: inner, logType } = unwrapPanther(record, /^Snowflake\./, "Snowflake");
  if (!isRec(inner)) throw new NormalizeError("not a Snowflake ACCOUNT_USAGE row: not a JSON object");
  const panther = logType !== null;
  const view = (logType && PANTHER_VIEWS[logType]) || viewOf(inner);
  switch (view) {
    case "LOGIN_HISTORY":
      return [loginHistory(inner, panther)];
    case "SESSIONS":
      return [sessions(inner, panther)];
    case "QUERY_HISTORY":
      return [queryHistory(inner, panther)];
    case "ACCESS_HISTORY":
      return [accessHistory(inner, panther)];
    case "GRANTS_TO_USERS":
      return grantsToUsers(inner, panther);
    case "GRANTS_TO_ROLES":
      return grantsToRoles(inner, panther);
    case "DATA_TRANSFER_HISTORY":
      throw new NormalizeError(
        "Snowflake DATA_TRANSFER_HISTORY row: account-level transfer accounting with no user, session or query, not an audit event",
      );
    default:
      throw new NormalizeError(
        logType
          ? `Panther ${logType} record: not a Snowflake view this source reads`
          : "not a Snowflake ACCOUNT_USAGE row: no LOGIN_HISTORY, SESSIONS, QUERY_HISTORY, ACCESS_HISTORY or GRANTS_TO_* columns",
      );
  }
}
