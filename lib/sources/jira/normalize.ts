import { ocsfClass, type ActorKind, type EventApproval, type EventResource, type NormalizedEvent } from "@/lib/events/schema";
import { NormalizeError } from "../types";
import { emailShaped, extraOf, field, isRec, keyText, listAt, recAt, text, type Rec } from "../util/fields";
import { unwrapPanther } from "../util/panther";
import { tryParseTime } from "../util/time";

// Jira issues as approval tickets: REST API v2/v3 issue JSON (GET /rest/api/3/search → {"issues": [...]}, which
// the reader splits, or GET /rest/api/3/issue/{key}), ideally with expand=changelog (and expand=names for the
// change window). An issue is {id, key, fields{...}, changelog{histories[]}, names?}; a search page that reaches
// normalize() whole gives one event per issue and lends its `names` to them. Not Jira's audit log
// (auditing/record "records" and the Atlassian org audit log belong to the atlassian source).
//
// Approval, in order of evidence:
//  1. a Jira Service Management approvals field (a customfield_* holding [{finalDecision, approvers[],
//     completedDate}]): approved = finalDecision "approved"; approver = those whose approverDecision is
//     "approved"; approved_at = completedDate;
//  2. else the changelog: the last history entry that moved `status` to an approving status (Approved, Ready for
//     implementation): approver = its author, approved_at = its created time;
//  3. else the current status: an approving status → approved (approver unknown); Declined/Rejected/Canceled →
//     not approved; otherwise the issue does not say (null).
// The change window comes from fields whose display name (the `names` map of expand=names) is like "Change
// start"/"Planned start" and "Change end"/"Change completion"/"Planned end"; without `names` it stays null.

export const JIRA_PLATFORM = "jira";

const APPROVING_STATUS = /^(approved|ready for implementation)$/i;
const DECLINED_STATUS = /^(declined|rejected|canceled|cancelled|withdrawn|won't do)$/i;
const WINDOW_START = /^(change|planned|implementation) start( date)?( ?(&|and) ?time)?$/i;
const WINDOW_END = /^(change|planned|implementation) (end|completion|finish)( date)?( ?(&|and) ?time)?$/i;

function iso(v: unknown): string | null {
  const d = tryParseTime(v);
  return d ? d.toISOString() : null;
}

/** A Jira user object → how a ticket names the person: email address, else display name, else accountId. */
function userText(u: unknown): string | null {
  if (!isRec(u)) return null;
  return keyText(field(u, "emailAddress")) ?? text(field(u, "displayName")) ?? keyText(field(u, "accountId")) ?? keyText(field(u, "name"));
}

/** accountType (Jira Cloud user model): atlassian = a person's account, customer = JSM portal customer, app = app user. */
function kindOf(u: Rec | null): ActorKind {
  switch (text(field(u, "accountType"))) {
    case "atlassian":
    case "customer":
      return "human";
    case "app":
      return "bot";
    default:
      return "unknown";
  }
}

function actorOf(u: Rec | null, role: string | null): NormalizedEvent["actor"] {
  const email = keyText(field(u, "emailAddress"));
  return {
    external_id: keyText(field(u, "accountId")) ?? keyText(field(u, "key")),
    name: text(field(u, "displayName")) ?? email,
    login: keyText(field(u, "name")) ?? email, // Server/Data Center `name` is the login; Cloud has none
    email: emailShaped(email),
    type: u ? role : null,
    kind_hint: kindOf(u),
  };
}

/** Plain text of a description: an Atlassian Document Format tree (v3) or a string (v2). */
function adfText(v: unknown, out: string[] = [], depth = 0): string[] {
  if (depth > 40) return out;
  if (typeof v === "string") {
    out.push(v);
    return out;
  }
  if (!isRec(v)) return out;
  const t = field(v, "text");
  if (typeof t === "string") out.push(t);
  const content = field(v, "content");
  if (Array.isArray(content)) {
    for (const c of content) adfText(c, out, depth + 1);
    const type = field(v, "type");
    if (type === "paragraph" || type === "heading" || type === "listItem") out.push("\n");
  }
  return out;
}

function descriptionText(v: unknown): string | null {
  const s = adfText(v)
    .join("")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
  return s ? s : null;
}

type Approved = {
  approved: boolean | null;
  approver: Rec | null;
  approverText: string | null;
  approvedAt: string | null;
  via: string | null;
};

/** JSM approvals field: an array of {finalDecision, approvers[{approver, approverDecision}], completedDate}. */
function fromApprovalsField(fields: Rec): Approved | null {
  for (const k of Object.keys(fields)) {
    if (!k.startsWith("customfield_")) continue;
    const v = fields[k];
    if (!Array.isArray(v) || v.length === 0 || !v.every((a) => isRec(a) && typeof field(a, "finalDecision") === "string")) continue;
    // The latest decided approval step speaks for the ticket.
    const steps = v as Rec[];
    const decided = steps.filter((a) => text(field(a, "finalDecision")) !== "pending");
    const step = decided.length ? decided[decided.length - 1] : steps[steps.length - 1];
    const decision = text(field(step, "finalDecision"))?.toLowerCase() ?? null;
    const yes = listAt(step, "approvers").filter((a) => text(field(a, "approverDecision"))?.toLowerCase() === "approved");
    const approver = recAt(yes[0], "approver");
    return {
      approved: decision === "approved" ? true : decision === "declined" || decision === "pending" ? false : null,
      approver: decision === "approved" ? approver : null,
      approverText: decision === "approved" ? userText(approver) : null,
      approvedAt:
        decision === "approved"
          ? (iso(field(recAt(step, "completedDate"), "iso8601")) ?? iso(field(recAt(step, "completedDate"), "epochMillis")))
          : null,
      via: k,
    };
  }
  return null;
}

// Statuses of a change waiting for its decision (Jira Service Management change workflow: "Awaiting approval";
// other approval workflows: "Waiting for approval", "Pending approval").
const PENDING_STATUS = /^(awaiting|waiting for|pending) approval$|^(awaiting|pending) cab( approval)?$/i;

/**
 * The decision that stands after the issue's status history (changelog, oldest first): a move into an approving
 * status approves (approver = its author), a move into Declined / Rejected / Canceled refuses (the decider is the
 * author of a Declined / Rejected move; a Canceled change has none), a move back into an approval-waiting status reopens the decision (pending: approved null, no
 * approver); moves between work statuses (Implementing, Done) leave the decision as it was.
 */
function fromChangelog(issue: Rec): Approved | null {
  const moves: { t: number; to: string; author: Rec | null; at: Date | null }[] = [];
  for (const h of listAt(issue, "changelog", "histories")) {
    if (!isRec(h)) continue;
    const at = tryParseTime(field(h, "created"));
    for (const i of listAt(h, "items")) {
      if (!isRec(i) || (field(i, "field") !== "status" && field(i, "fieldId") !== "status")) continue;
      const to = text(field(i, "toString"));
      if (to) moves.push({ t: at ? at.getTime() : -Infinity, to, author: recAt(h, "author"), at });
    }
  }
  moves.sort((a, b) => a.t - b.t);
  let found: Approved | null = null;
  for (const m of moves) {
    if (APPROVING_STATUS.test(m.to))
      found = {
        approved: true,
        approver: m.author,
        approverText: userText(m.author),
        approvedAt: m.at ? m.at.toISOString() : null,
        via: "changelog",
      };
    else if (DECLINED_STATUS.test(m.to)) {
      // Declined / Rejected is an approver's decision; Canceled / Won't do calls the change off (no approver).
      const decider = /^(declined|rejected)$/i.test(m.to) ? m.author : null;
      found = { approved: false, approver: decider, approverText: userText(decider), approvedAt: null, via: "changelog" };
    } else if (PENDING_STATUS.test(m.to) && found)
      found = { approved: null, approver: null, approverText: null, approvedAt: null, via: "changelog" };
  }
  return found;
}

/**
 * Whether an issue is an approval at all: a Change issue type (JSM change management: Change, Normal/Standard/
 * Emergency change), a JSM approvals field, or a status history through an approval workflow (a waiting-for-
 * approval, approved or declined status). A Bug or Task moving between work statuses is not an approval.
 */
function isApprovalIssue(issue: Rec, fields: Rec, hasApprovalsField: boolean): boolean {
  if (hasApprovalsField) return true;
  const type = text(field(recAt(fields, "issuetype"), "name"));
  if (type && /change/i.test(type)) return true;
  const statuses = [text(field(recAt(fields, "status"), "name"))];
  for (const h of listAt(issue, "changelog", "histories"))
    for (const i of listAt(h, "items"))
      if (isRec(i) && (field(i, "field") === "status" || field(i, "fieldId") === "status"))
        statuses.push(text(field(i, "toString")), text(field(i, "fromString")));
  return statuses.some((st) => st !== null && (APPROVING_STATUS.test(st) || PENDING_STATUS.test(st) || /^(declined|rejected)$/i.test(st)));
}

function windowOf(issue: Rec, fields: Rec, pageNames: Rec | null): { start: string | null; end: string | null } {
  const names = recAt(issue, "names") ?? pageNames;
  if (!names) return { start: null, end: null };
  let start: string | null = null;
  let end: string | null = null;
  for (const [id, label] of Object.entries(names)) {
    if (typeof label !== "string") continue;
    if (!start && WINDOW_START.test(label.trim())) start = iso(field(fields, id));
    else if (!end && WINDOW_END.test(label.trim())) end = iso(field(fields, id));
  }
  return { start, end };
}

export function isJiraIssue(r: unknown): r is Rec {
  return isRec(r) && typeof field(r, "key") === "string" && isRec(field(r, "fields"));
}

/** A whole search page ({issues: [...], names?}) as one record: every issue, with the page's `names`. */
export function isSearchPage(r: unknown): r is Rec {
  return isRec(r) && field(r, "key") === undefined && Array.isArray(field(r, "issues"));
}

export function normalizeJira(input: unknown): NormalizedEvent[] {
  const { record } = unwrapPanther(input, /^Jira\.Issue/, "Jira issue");
  if (!isRec(record)) throw new NormalizeError("not a JSON object");
  if (isSearchPage(record)) {
    // The reader normally splits {"issues": [...]} into issues; a page that reaches here whole (or a saved
    // page given as one record) gives one event per issue. One bad issue rejects the page, with its index.
    const issues = field(record, "issues") as unknown[];
    if (issues.length === 0) throw new NormalizeError("Jira search page without issues");
    const names = recAt(record, "names");
    return issues.flatMap((issue, i) => {
      try {
        return normalizeIssue(issue, names);
      } catch (err) {
        if (err instanceof NormalizeError) throw new NormalizeError(`Jira search page, issue #${i}: ${err.message}`);
        throw err;
      }
    });
  }
  return normalizeIssue(record, null);
}

function normalizeIssue(record: unknown, pageNames: Rec | null): NormalizedEvent[] {
  if (!isRec(record)) throw new NormalizeError("not a JSON object");
  const key = keyText(field(record, "key"));
  const fields = recAt(record, "fields");
  if (!key || !fields) throw new NormalizeError(`not a Jira issue: ${key ? "fields" : "key"} is missing`);

  const statusName = text(field(recAt(fields, "status"), "name"));
  const created = iso(field(fields, "created"));
  const updated = iso(field(fields, "updated"));
  const reporter = recAt(fields, "reporter");
  const creator = recAt(fields, "creator");
  const requesterRec = reporter ?? creator;
  const assignee = recAt(fields, "assignee");

  const approvalsField = fromApprovalsField(fields);
  if (!isApprovalIssue(record, fields, approvalsField !== null)) {
    throw new NormalizeError(
      `not an approval: Jira issue ${key} is neither a change nor in an approval workflow (no approvals field, no approval status)`,
    );
  }
  let a: Approved = approvalsField ??
    fromChangelog(record) ?? { approved: null, approver: null, approverText: null, approvedAt: null, via: null };
  if (a.via === "changelog" && a.approved !== false && statusName && DECLINED_STATUS.test(statusName)) {
    a = { approved: false, approver: null, approverText: null, approvedAt: null, via: "status" }; // approved once, declined since
  } else if (a.via === null && statusName) {
    if (APPROVING_STATUS.test(statusName)) a = { ...a, approved: true, via: "status" };
    else if (DECLINED_STATUS.test(statusName)) a = { ...a, approved: false, via: "status" };
  }

  // time = the approval time if approved (and known), else the last update.
  const timeIso = (a.approved ? a.approvedAt : null) ?? updated ?? created;
  if (!timeIso) throw new NormalizeError("no event time (fields.updated and fields.created are missing or unreadable)");

  const summary = text(field(fields, "summary"));
  const description = descriptionText(field(fields, "description"));
  const scopeText = [summary, description].filter((x): x is string => x !== null).join("\n\n");
  const components = listAt(fields, "components").filter(isRec);
  const win = windowOf(record, fields, pageNames);

  const approval: EventApproval = {
    system: JIRA_PLATFORM,
    ticket_key: key,
    status: statusName,
    approved: a.approved,
    requester: userText(requesterRec),
    approver: a.approverText,
    approved_at: a.approved ? a.approvedAt : null,
    window_start: win.start,
    window_end: win.end,
    scope: scopeText ? (scopeText.length > 2000 ? `${scopeText.slice(0, 1999)}…` : scopeText) : null,
    linked_identities: [...new Set([userText(assignee)].filter((x): x is string => x !== null))],
    linked_items: [...new Set(components.map((c) => text(field(c, "name"))).filter((x): x is string => x !== null))],
  };

  const resources: EventResource[] = components
    .map((c) => ({ type: "jira.component", id: keyText(field(c, "id")), name: text(field(c, "name")) }))
    .filter((r) => r.id !== null || r.name !== null);
  resources.push({ type: "jira.issue", id: keyText(field(record, "id")), name: key });

  const activity =
    a.approved === true
      ? "approve"
      : a.approved === false && statusName && DECLINED_STATUS.test(statusName)
        ? "reject"
        : created && updated && created === updated
          ? "request"
          : "update";
  const actorRec = a.approved && a.approver ? a.approver : requesterRec;

  return [
    {
      schema_version: 1,
      platform: JIRA_PLATFORM,
      ...ocsfClass(3005),
      activity,
      event_name: "issue",
      time: new Date(timeIso),
      status: "success",
      status_detail: null,
      message: summary,
      actor: actorOf(actorRec, actorRec === null ? null : a.approved && a.approver ? "approver" : reporter ? "reporter" : "creator"),
      session: null,
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
      correlation_id: null,
      native_id: keyText(field(record, "id")),
      extra: extraOf({
        project: keyText(field(recAt(fields, "project"), "key")),
        issuetype: text(field(recAt(fields, "issuetype"), "name")),
        status_category: text(field(recAt(recAt(fields, "status"), "statusCategory"), "key")),
        resolution: text(field(recAt(fields, "resolution"), "name")),
        resolutiondate: iso(field(fields, "resolutiondate")),
        created,
        updated,
        approval_source: a.via,
        labels: listAt(fields, "labels")
          .filter((l) => typeof l === "string")
          .slice(0, 20),
        self: text(field(record, "self")),
      }),
    },
  ];
}
