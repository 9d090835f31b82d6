import {
  ocsfClass,
  type ActorKind,
  type Credential,
  type EventResource,
  type EventStatus,
  type NormalizedEvent,
} from "@/lib/events/schema";
import { NormalizeError } from "../types";
import { at, emailShaped, extraOf, field, isRec, keyText, recAt, text, type Rec } from "../util/fields";
import { sourceIp } from "../util/source-ip";
import { parseTime } from "../util/time";

// Open Policy Agent decision logs (openpolicyagent.org/docs/latest/management-decision-logs/). Each entry:
// {labels{id, version, …}, decision_id, bundles{<name>: {revision}}, path, query, input, result, requested_by,
// timestamp, metrics, erased, masked, nd_builtin_cache, req_id, error}. Files: the console logger's NDJSON (the same
// entry plus msg "Decision Log", level, time, type "openpolicyagent.org/decision_logs") and the JSON arrays the HTTP
// upload sends (gzip). One entry → one class 3003 Authorize Session event with policy {engine "opa", …}.
//
// What is read from `input` (the caller decides its shape; these are the common ones):
//  - actor: input.user / input.subject / input.principal (a string, or an object with id|uid|sub, name|username|
//    login, email, type); Kubernetes AdmissionReview input.request.userInfo {username, uid}; Envoy ext_authz: the
//    claims of a Bearer JWT in input.attributes.request.http.headers.authorization, or of input.token (decoded, not
//    verified; the token itself is never copied).
//  - action: input.action / input.method / Envoy http.method / AdmissionReview request.operation (→ extra.action).
//  - resources: input.resource (string or {type, id, name}), input.path (string or array of segments), Envoy
//    http.path, AdmissionReview request.kind.kind + namespace/name.
//  - session: input.session_id (opa.input.session_id), else the JWT `sid` claim (opa.jwt.sid).
//  - credential: the JWT `jti` (opa.jwt.jti, kind access_token); client: JWT azp / client_id, or input.client_id.
//  - src_endpoint: Envoy attributes.source.address.socketAddress.address, else input.source_ip / client_ip / ip /
//    remote_addr (the first X-Forwarded-For hop goes to extra, it is the client's claim); user_agent: the user-agent header or input.user_agent; correlation_id: the x-request-id header,
//    input.request_id, or the AdmissionReview request.uid.
// Everything else in input stays in the raw record (the ledger); extra keeps a few small fields.

export const OPA_PLATFORM = "opa";

const RESULT_MAX = 256;
const DETAIL_MAX = 500;

function cap(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n)}…` : s;
}

/** "allow"/"deny" from a boolean decision, else null. */
function boolDecision(v: unknown): "allow" | "deny" | null {
  if (v === true || v === "true") return "allow"; // the docs' example logs result "true" as a string
  if (v === false || v === "false") return "deny";
  return null;
}

/**
 * policy.result: "allow"/"deny" when the result is a boolean, or an object with a boolean `allow` (common Rego
 * style), `allowed` (the Envoy plugin's object result) or `response.allowed` (a Kubernetes AdmissionReview
 * response); "error" when the entry carries an evaluation error; "undefined" when the query had no result; else
 * the result JSON-serialized and capped at 256 characters.
 */
function decisionOf(entry: Rec): { result: string; decided: "allow" | "deny" | null } {
  if (isRec(entry.error) || (typeof entry.error === "string" && text(entry.error) !== null)) return { result: "error", decided: null };
  if (!("result" in entry) || entry.result === undefined) return { result: "undefined", decided: null };
  const r = entry.result;
  const d =
    boolDecision(r) ?? boolDecision(field(r, "allow")) ?? boolDecision(field(r, "allowed")) ?? boolDecision(at(r, "response", "allowed"));
  if (d) return { result: d, decided: d };
  let json: string;
  try {
    json = JSON.stringify(r) ?? "null";
  } catch {
    json = String(r);
  }
  return { result: cap(json, RESULT_MAX) || "null", decided: null };
}

/** The reason text a result or error carries, if any: error.message, the result's reason, deny messages. */
function detailOf(entry: Rec): string | null {
  const err = entry.error;
  const errText = text(err);
  if (errText) return cap(errText, DETAIL_MAX);
  const errMsg = text(field(err, "message"));
  if (errMsg) return cap(errMsg, DETAIL_MAX);
  const r = entry.result;
  // reason / message (common Rego style), an AdmissionReview response's status.message, the Envoy plugin's deny body.
  const reason =
    text(field(r, "reason")) ?? text(at(r, "response", "status", "message")) ?? text(field(r, "message")) ?? text(field(r, "body"));
  if (reason) return cap(reason, DETAIL_MAX);
  const deny = field(r, "deny") ?? field(r, "violations");
  if (Array.isArray(deny)) {
    const msgs = deny.map((m) => text(m) ?? text(field(m, "msg")) ?? text(field(m, "message"))).filter((m): m is string => m !== null);
    if (msgs.length) return cap(msgs.slice(0, 5).join("; "), DETAIL_MAX);
  }
  return null;
}

/** The claims of a JWT (payload decoded, signature not checked), or null. */
function jwtClaims(token: string | null): Rec | null {
  if (!token) return null;
  const t = token.replace(/^Bearer\s+/i, "").trim();
  const parts = t.split(".");
  if (parts.length !== 3 || parts[1].length === 0 || parts[1].length > 16384 || !/^[A-Za-z0-9_-]+$/.test(parts[1])) return null;
  try {
    const claims: unknown = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8"));
    return isRec(claims) ? claims : null;
  } catch {
    return null;
  }
}

type Who = { id: string | null; login: string | null; name: string | null; email: string | null; type: string | null };

function whoOf(v: unknown): Who | null {
  if (typeof v === "string" || typeof v === "number") {
    const s = keyText(v);
    return s ? { id: null, login: s, name: s, email: emailShaped(s), type: null } : null;
  }
  if (!isRec(v)) return null;
  const id = keyText(field(v, "id")) ?? keyText(field(v, "uid")) ?? keyText(field(v, "sub")) ?? keyText(field(v, "user_id"));
  const login =
    keyText(field(v, "username")) ?? keyText(field(v, "login")) ?? keyText(field(v, "user")) ?? keyText(field(v, "preferred_username"));
  const name = keyText(field(v, "name")) ?? login;
  const email = emailShaped(text(field(v, "email"))) ?? emailShaped(login);
  if (!id && !login && !name && !email) return null;
  return { id, login, name, email, type: text(field(v, "type")) ?? text(field(v, "kind")) };
}

/**
 * kind_hint from the input's own documented shapes only: Kubernetes usernames system:serviceaccount:<ns>:<name> →
 * service_account, system:node:<name> → workload, other system:* → system; anything else unknown.
 */
function kubeKind(username: string | null): ActorKind {
  if (!username) return "unknown";
  if (username.startsWith("system:serviceaccount:")) return "service_account";
  if (username.startsWith("system:node:")) return "workload";
  if (username.startsWith("system:")) return "system";
  return "unknown";
}

function header(headers: Rec | null, name: string): string | null {
  if (!headers) return null;
  const v = headers[name] ?? headers[name.toLowerCase()];
  return text(Array.isArray(v) ? v[0] : v);
}

function pathText(v: unknown): string | null {
  if (Array.isArray(v)) {
    const segs = v.map((s) => text(s)).filter((s): s is string => s !== null);
    return segs.length ? `/${segs.join("/")}` : null;
  }
  return keyText(v);
}

export function normalizeOpa(record: unknown): NormalizedEvent[] {
  if (!isRec(record)) throw new NormalizeError("not an OPA decision log entry: not a JSON object");
  const decisionId = keyText(record.decision_id);
  if (!decisionId) throw new NormalizeError("not an OPA decision log entry: decision_id is missing");
  // timestamp is the decision's time; the console logger's own `time` is when the line was written.
  const time = parseTime(record.timestamp ?? record.time, record.timestamp !== undefined ? "timestamp" : "time");

  const path = keyText(record.path);
  const query = text(record.query);
  const input = isRec(record.input) ? record.input : null;
  const http = recAt(input, "attributes", "request", "http");
  const headers = recAt(http, "headers");
  const admission = recAt(input, "request");
  const isAdmission = text(field(input, "kind")) === "AdmissionReview" || isRec(field(admission, "userInfo"));
  const userInfo = isAdmission ? recAt(admission, "userInfo") : null;

  const claims = jwtClaims(header(headers, "authorization")) ?? jwtClaims(text(field(input, "token")));

  // --- actor
  let who = whoOf(field(input, "user")) ?? whoOf(field(input, "subject")) ?? whoOf(field(input, "principal"));
  let kind: ActorKind = "unknown";
  if (!who && userInfo) {
    const username = keyText(userInfo.username);
    who = { id: keyText(userInfo.uid), login: username, name: username, email: emailShaped(username), type: null };
    kind = kubeKind(username);
  }
  if (!who && claims) {
    const sub = keyText(claims.sub);
    const login = keyText(claims.preferred_username) ?? keyText(claims.upn) ?? keyText(claims.username);
    const email = emailShaped(text(claims.email)) ?? emailShaped(login);
    if (sub || login || email) who = { id: sub, login, name: keyText(claims.name) ?? login, email, type: null };
  }
  const actor: NormalizedEvent["actor"] = {
    external_id: who?.id ?? null,
    name: who?.name ?? null,
    login: who?.login ?? null,
    email: who?.email ?? null,
    type: who?.type ?? null,
    kind_hint: kind,
  };

  // --- action, resources
  const action =
    text(field(input, "action")) ?? text(field(input, "method")) ?? text(field(http, "method")) ?? text(field(admission, "operation"));
  const resources: EventResource[] = [];
  const resource = field(input, "resource");
  if (isRec(resource)) {
    const id = keyText(resource.id);
    const name = keyText(resource.name) ?? keyText(resource.path);
    if (id || name) resources.push({ type: text(resource.type) ?? text(resource.kind) ?? "resource", id, name });
  } else {
    const r = keyText(resource);
    if (r) resources.push({ type: "resource", id: null, name: r });
  }
  if (isAdmission) {
    const k = text(at(admission, "kind", "kind"));
    const ns = keyText(field(admission, "namespace"));
    const name = keyText(field(admission, "name")) ?? keyText(at(admission, "object", "metadata", "name"));
    const full = name ? (ns ? `${ns}/${name}` : name) : ns;
    if (k && full) resources.push({ type: k, id: keyText(at(admission, "object", "metadata", "uid")), name: full });
  }
  const reqPath = pathText(field(http, "path")) ?? pathText(field(input, "path"));
  if (reqPath) resources.push({ type: "http.path", id: null, name: cap(reqPath, 500) });

  // --- session, credential, client
  const inputSession = keyText(field(input, "session_id"));
  const sid = keyText(claims?.sid);
  const session = inputSession
    ? { key: inputSession, key_type: "opa.input.session_id", root_key: null, issuer: null }
    : sid
      ? { key: sid, key_type: "opa.jwt.sid", root_key: null, issuer: text(claims?.iss) }
      : null;
  const jti = keyText(claims?.jti);
  const credential: Credential | null = jti
    ? {
        key: jti,
        key_type: "opa.jwt.jti",
        kind: "access_token",
        native_type: "JWT",
        parent_key: null,
        parent_key_type: null,
        parent_kind: null,
      }
    : null;
  const clientId = keyText(claims?.azp) ?? keyText(claims?.client_id) ?? keyText(field(input, "client_id"));

  // --- endpoint
  const sourceAddress = text(at(input, "attributes", "source", "address", "socketAddress", "address"));
  const xff = header(headers, "x-forwarded-for")?.split(",")[0]?.trim() ?? null;
  // Envoy's peer address is what the proxy saw; X-Forwarded-For is what the client (or a proxy) claims: kept in extra.
  const keep = { loopback: "keep" } as const;
  const ip =
    sourceIp(sourceAddress, keep) ??
    sourceIp(field(input, "source_ip"), keep) ??
    sourceIp(field(input, "client_ip"), keep) ??
    sourceIp(field(input, "ip"), keep) ??
    sourceIp(field(input, "remote_addr"), keep);

  const { result, decided } = decisionOf(record);
  const status: EventStatus = decided === "allow" ? "success" : decided === "deny" || result === "error" ? "failure" : "unknown";
  const detail = detailOf(record);

  // Privileged: the decision is about a change of who may do what: a Kubernetes admission write to an RBAC object
  // (rbac.authorization.k8s.io: Role, ClusterRole, RoleBinding, ClusterRoleBinding).
  const op = text(field(admission, "operation"))?.toUpperCase() ?? null;
  const privileged = isAdmission && text(at(admission, "kind", "group")) === "rbac.authorization.k8s.io" && op !== null && op !== "CONNECT";

  const labels = isRec(record.labels) ? record.labels : null;
  const bundles = isRec(record.bundles)
    ? Object.fromEntries(
        Object.entries(record.bundles)
          .slice(0, 10)
          .map(([k, v]) => [k, text(field(v, "revision"))]),
      )
    : null;

  return [
    {
      schema_version: 1,
      platform: OPA_PLATFORM,
      ...ocsfClass(3003),
      activity: "authorize",
      event_name: path ?? (query ? "query" : "decision"),
      time,
      status,
      status_detail: detail ?? (decided ? decided : null),
      message: null,
      actor,
      session,
      credential,
      issued_credentials: [],
      auth: null,
      client: clientId ? { app_id: clientId, app_name: null } : null,
      src_endpoint: { ip, location: null },
      user_agent: header(headers, "user-agent") ?? text(field(input, "user_agent")),
      resources,
      privileged,
      policy: { engine: "opa", result, policy_name: path, rule_name: null, applied: [], decision_id: decisionId, path },
      jit: null,
      approval: null,
      correlation_id:
        header(headers, "x-request-id") ?? keyText(field(input, "request_id")) ?? (isAdmission ? keyText(field(admission, "uid")) : null),
      native_id: decisionId,
      extra: extraOf({
        labels: labels ? extraOf({ id: text(labels.id), version: text(labels.version), app: text(labels.app) }) : null,
        bundles,
        query: query ? cap(query, RESULT_MAX) : null,
        requested_by: text(record.requested_by),
        req_id: text(record.req_id),
        action,
        host: text(field(http, "host")),
        "x-forwarded-for": xff,
        namespace: isAdmission ? text(field(admission, "namespace")) : null,
        groups: Array.isArray(userInfo?.groups)
          ? userInfo.groups
              .slice(0, 10)
              .map((g) => text(g))
              .filter((g) => g !== null)
          : null,
        iss: text(claims?.iss),
        erased: Array.isArray(record.erased) ? record.erased.slice(0, 20) : null,
        masked: Array.isArray(record.masked) ? record.masked.slice(0, 20) : null,
      }),
    },
  ];
}
