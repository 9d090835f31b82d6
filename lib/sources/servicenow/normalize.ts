import { ocsfClass, type EventApproval, type EventResource, type NormalizedEvent, toActivity } from "@/lib/events/schema";
import { NormalizeError } from "../types";
import { emailShaped, extraOf, field, isRec, keyText, text, type Rec } from "../util/fields";
import { unwrapPanther } from "../util/panther";
import { tryParseTime } from "../util/time";

// ServiceNow Table API records (GET /api/now/table/<table>: {"result": [...]}, which the reader splits):
//  - change_request (and other task tables with a `number`): one approval event per ticket;
//  - sysapproval_approver: one approval event per approver record, keyed by the record it approves.
// Field values come in three shapes depending on sysparm_display_value:
//   false (default): scalars as raw strings, references as {link, value: <sys_id>};
//   true: display strings (references {display_value, link}, or plain strings with sysparm_exclude_reference_link);
//   all: {display_value, value[, link]} for every field.
// Raw date-time values ("2025-03-04 13:00:00") are in UTC (the API's internal format); display values are in
// the exporting user's time zone and format, which the record does not say: they are read as UTC too, so
// prefer raw values or sysparm_display_value=all (whose raw `value` is used for times).

export const SERVICENOW_PLATFORM = "servicenow";

const SYS_ID = /^[0-9a-f]{32}$/;

type Ref = { value: string | null; display: string | null };

/** A field in any of the three shapes: raw value (sys_id for references) and display value. */
function refOf(v: unknown): Ref {
  if (isRec(v)) {
    return { value: keyText(field(v, "value")), display: keyText(field(v, "display_value")) };
  }
  const t = keyText(v);
  if (t === null) return { value: null, display: null };
  // A bare string is a raw value when it is a sys_id (references) and the display value otherwise; for plain
  // scalars both readings are the same text.
  return SYS_ID.test(t) ? { value: t, display: null } : { value: t, display: t };
}

/** The raw value of a field, else its display value. */
function raw(r: Rec, name: string): string | null {
  const ref = refOf(field(r, name));
  return ref.value ?? ref.display;
}

/** How people name a reference: the display value, else the raw value (a sys_id). */
function shown(r: Rec, name: string): string | null {
  const ref = refOf(field(r, name));
  return ref.display ?? ref.value;
}

/** A date-time field as ISO-8601 UTC (raw value preferred), or null when absent or unreadable. */
function isoAt(r: Rec, name: string): string | null {
  const v = raw(r, name);
  const d = v ? tryParseTime(v) : null;
  return d ? d.toISOString() : null;
}

/** approval / sysapproval_approver.state → approved; null for values that do not say. */
function approvedOf(value: string | null): boolean | null {
  switch (value?.toLowerCase().replace(/[\s_]+/g, " ")) {
    case "approved":
      return true;
    case "rejected":
    case "requested":
    case "not requested":
    case "not yet requested":
    case "cancelled":
    case "canceled":
    case "not required":
    case "no longer required":
      return false;
    default:
      return null;
  }
}

// change_request.state (ServiceNow's change model): 4 = Canceled. Other task tables number their states
// differently, so the raw value counts only for change requests; a display value "Canceled" / "Closed Incomplete"
// / "Closed Skipped" counts for any task.
const CANCELED_DISPLAY = /^(cancell?ed|closed incomplete|closed skipped|rejected|withdrawn)$/i;

/** The task's own state says it was called off (whatever its approval field says). */
function taskCanceled(r: Rec, table: string): boolean {
  const st = refOf(field(r, "state"));
  if (st.display !== null && CANCELED_DISPLAY.test(st.display)) return true;
  return table === "change_request" && st.value === "4";
}

// Tables that are not tasks: configuration items, assets, users, groups. Their records carry no approval.
const NON_TASK_TABLE = /^(cmdb|cmdb_ci(_\w+)?|alm_\w+|sys_user(_\w+)?|core_company|cmn_\w+|ast_\w+)$/;

function activityOf(value: string | null): string {
  switch (value?.toLowerCase().replace(/[\s_]+/g, " ")) {
    case "approved":
      return "approve";
    case "rejected":
      return "reject";
    case "requested":
      return "request";
    default:
      return "update";
  }
}

function splitList(s: string | null): string[] {
  if (!s) return [];
  return s
    .split(/[,;\n]/)
    .map((x) => x.trim())
    .filter((x) => x !== "" && keyText(x) !== null);
}

// u_* custom fields: named like an identity → linked_identities; named like a system/CI → linked_items.
const IDENTITY_FIELD = /user|account|identit|principal|login|email|member|requested_for/i;
const ITEM_FIELD =
  /(^|_)(ci|cis|cmdb|system|systems|application|applications|app|apps|resource|resources|target|targets|asset|assets|service|services|platform|platforms|host|hosts)(_|$)/i;

function customLinks(r: Rec): { identities: string[]; items: string[] } {
  const identities: string[] = [];
  const items: string[] = [];
  for (const k of Object.keys(r)) {
    if (!k.startsWith("u_")) continue;
    const values = splitList(shown(r, k));
    if (IDENTITY_FIELD.test(k)) identities.push(...values);
    else if (ITEM_FIELD.test(k)) items.push(...values);
    else identities.push(...values.filter((v) => emailShaped(v) !== null));
  }
  return { identities, items };
}

function uniq(xs: (string | null)[]): string[] {
  return [...new Set(xs.filter((x): x is string => x !== null))];
}

function actorOf(name: string | null, sysId: string | null, role: string | null): NormalizedEvent["actor"] {
  return {
    external_id: sysId,
    name,
    login: null, // a sys_user reference carries the user's sys_id and display name, not the login (user_name)
    email: emailShaped(name),
    type: role,
    kind_hint: "unknown", // sys_user does not say whether a person or an integration user acted
  };
}

function scopeOf(r: Rec): string | null {
  const parts = uniq([text(raw(r, "short_description")), text(raw(r, "description"))]);
  const s = parts.join("\n\n");
  return s ? (s.length > 2000 ? `${s.slice(0, 1999)}…` : s) : null;
}

function baseEvent(
  name: string,
  time: Date,
  actor: NormalizedEvent["actor"],
  approval: EventApproval,
  resources: EventResource[],
  nativeId: string | null,
  correlationId: string | null,
  extra: Record<string, unknown>,
): NormalizedEvent {
  return {
    schema_version: 1,
    platform: SERVICENOW_PLATFORM,
    ...ocsfClass(3005),
    activity: toActivity(activityOf(approval.status)),
    event_name: name,
    time,
    status: "success",
    status_detail: null,
    message: null,
    actor,
    session: null, // a ticket is no session
    credential: null,
    issued_credentials: [],
    auth: null,
    client: null,
    src_endpoint: { ip: null, location: null },
    user_agent: null,
    resources,
    privileged: false, // a ticket authorizes work; the platforms' own events show the privileged use
    policy: null,
    jit: null,
    approval,
    correlation_id: correlationId,
    native_id: nativeId,
    extra: extraOf(extra),
  };
}

/** A sysapproval_approver record: one approver's decision on a change (or other task). */
function normalizeApprover(r: Rec): NormalizedEvent {
  const target = refOf(field(r, "sysapproval"));
  const doc = refOf(field(r, "document_id"));
  // The change it approves: its number when the export shows display values, else its sys_id.
  const ticketKey = target.display ?? doc.display ?? target.value ?? doc.value;
  if (!ticketKey)
    throw new NormalizeError(
      "ServiceNow approval (sysapproval_approver) without the record it approves: sysapproval and document_id are missing",
    );
  const state = raw(r, "state");
  const approver = refOf(field(r, "approver"));
  const approverName = approver.display ?? approver.value;
  const updated = isoAt(r, "sys_updated_on");
  const timeIso = updated ?? isoAt(r, "sys_created_on");
  if (!timeIso) throw new NormalizeError("no event time (sys_updated_on and sys_created_on are missing or unreadable)");
  const approved = approvedOf(state);
  const table = raw(r, "source_table") ?? raw(r, "sysapproval.sys_class_name");
  const approval: EventApproval = {
    system: SERVICENOW_PLATFORM,
    ticket_key: ticketKey,
    status: state,
    approved,
    requester: null, // the approver record does not name the requester (the change does)
    approver: approverName,
    approved_at: approved ? timeIso : null,
    window_start: null,
    window_end: null,
    scope: text(raw(r, "comments")),
    linked_identities: [],
    linked_items: [],
    record: "approver",
  };
  const targetId = target.value ?? doc.value;
  const resources: EventResource[] = [{ type: table ?? "task", id: targetId, name: target.display ?? doc.display }];
  return baseEvent(
    "sysapproval_approver",
    new Date(timeIso),
    actorOf(approverName, approver.value, "approver"),
    approval,
    resources,
    keyText(raw(r, "sys_id")),
    null,
    {
      table: "sysapproval_approver",
      approves_sys_id: targetId,
      source_table: table,
      group: shown(r, "group"),
      state_display: refOf(field(r, "state")).display,
    },
  );
}

/** A change_request (or another task with a number): the ticket as one approval event. */
function normalizeTask(r: Rec): NormalizedEvent {
  const number = keyText(raw(r, "number"));
  const sysId = keyText(raw(r, "sys_id"));
  const ticketKey = number ?? sysId;
  if (!ticketKey) throw new NormalizeError("not a ServiceNow record: number and sys_id are missing");
  const approvalValue = raw(r, "approval");
  const table = raw(r, "sys_class_name") ?? "change_request";
  // Both the approval and the task's state are read: a canceled or closed-incomplete task never authorizes, also when
  // its approval field still says approved; a rejected change that was then canceled stays rejected.
  const decided = approvedOf(approvalValue);
  const canceled = taskCanceled(r, table);
  const approved = canceled ? false : decided;
  const stateShown = refOf(field(r, "state")).display;
  // The state as people read it: its display value, or "Canceled" for the raw change state 4.
  const status =
    canceled && approvalValue?.toLowerCase() !== "rejected"
      ? stateShown && !/^-?\d+$/.test(stateShown)
        ? stateShown
        : "Canceled"
      : approvalValue;
  const approvalSet = isoAt(r, "approval_set");
  const updated = isoAt(r, "sys_updated_on");
  // time = when it was approved (approval_set) if approved, else the last update.
  const timeIso = (approved ? approvalSet : null) ?? updated ?? isoAt(r, "sys_created_on") ?? isoAt(r, "opened_at");
  if (!timeIso) throw new NormalizeError("no event time (sys_updated_on, sys_created_on and opened_at are missing or unreadable)");

  const requested = refOf(field(r, "requested_by"));
  const opened = refOf(field(r, "opened_by"));
  const requester = requested.display ?? requested.value ?? opened.display ?? opened.value;
  const requesterId = requested.value ?? (requested.display ? null : opened.value);
  const custom = customLinks(r);
  const ci = refOf(field(r, "cmdb_ci"));
  const ciName = ci.display ?? ci.value;

  const approval: EventApproval = {
    system: SERVICENOW_PLATFORM,
    ticket_key: ticketKey,
    status,
    approved,
    requester,
    approver: null, // kept in sysapproval_approver records (their own events)
    approved_at: approved ? approvalSet : null,
    window_start: isoAt(r, "start_date"),
    window_end: isoAt(r, "end_date"),
    scope: scopeOf(r),
    linked_identities: uniq([shown(r, "assigned_to"), shown(r, "requested_for"), ...custom.identities]),
    linked_items: uniq([ciName, ...custom.items]),
  };

  const resources: EventResource[] = [];
  if (ci.value || ci.display) resources.push({ type: "cmdb_ci", id: ci.value, name: ci.display });
  resources.push({ type: table, id: sysId, name: number });

  return baseEvent(
    table,
    new Date(timeIso),
    actorOf(requester, requesterId, requester ? "requester" : null),
    approval,
    resources,
    sysId,
    keyText(raw(r, "correlation_id")),
    {
      state: raw(r, "state"),
      state_display: refOf(field(r, "state")).display,
      type: raw(r, "type"),
      risk: raw(r, "risk"),
      category: raw(r, "category"),
      cab_required: raw(r, "cab_required"),
      unauthorized: raw(r, "unauthorized"),
      justification: text(raw(r, "justification"))?.slice(0, 500),
      implementation_plan: text(raw(r, "implementation_plan"))?.slice(0, 500),
      assignment_group: shown(r, "assignment_group"),
      sys_updated_by: raw(r, "sys_updated_by"),
      sys_updated_on: updated,
    },
  );
}

export function isApproverRecord(r: Rec): boolean {
  return field(r, "approver") !== undefined && (field(r, "sysapproval") !== undefined || field(r, "document_id") !== undefined);
}

export function normalizeServiceNow(input: unknown): NormalizedEvent[] {
  const { record } = unwrapPanther(input, /^ServiceNow\./, "ServiceNow");
  if (!isRec(record)) throw new NormalizeError("not a JSON object");
  if (isApproverRecord(record)) return [normalizeApprover(record)];
  if (field(record, "number") === undefined && field(record, "sys_id") === undefined) {
    throw new NormalizeError("not a ServiceNow record: number and sys_id are missing");
  }
  // Only task records (change requests, requested items, …: a task number or an approval field) are approvals;
  // a configuration item, asset or user record is not.
  const cls = raw(record, "sys_class_name");
  if ((cls !== null && NON_TASK_TABLE.test(cls)) || (field(record, "number") === undefined && field(record, "approval") === undefined)) {
    throw new NormalizeError(
      `not a ServiceNow task: ${cls ?? "a record"} without a task number or approval is not an approval record (CMDB CIs, assets and users are not approvals)`,
    );
  }
  return [normalizeTask(record)];
}
