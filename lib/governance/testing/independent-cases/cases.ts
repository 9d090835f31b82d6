// Governance edge cases written INDEPENDENTLY of the matcher (lib/governance/*.ts was not read when these were written).
//
// Each case is a set of vendor-shaped files an organisation would ingest (AWS CloudTrail, Okta System Log, GitHub
// audit log, ServiceNow Table API exports, Jira REST issues, Sessionproof grant feed) and the verdict an IT auditor
// expects for ONE subject action, derived from issue 15 §2 and the README's rule table only:
//   status       the status `governance --json` should print for the subject action ("none": no check at all)
//   tolerate     other failing statuses that may legitimately be printed first because they also hold (the rule order
//                is the product's; the expected status must then still be among the check's failing statuses)
//   reason       words (case-insensitive) the printed reason must contain (e.g. the measured skew offset)
//   approval / grant  the native ticket and grant ids the check should name (undefined: not asserted)
//
// Input formats were learned from lib/sources/{jira,servicenow,pam-grants,aws-cloudtrail,okta,github}, docs/grant-format.md
// and the vendor samples. Every case lives on its own day (2026-10-01 + n) with its own people, tickets and grants, so
// cases never interfere. Defaults assumed (README): approval validity 24 h, 20 actions per ticket, skew 120 s, JIT
// required on every platform.

import { createHash } from "node:crypto";

export type CaseFile = { name: string; body: unknown };
export type IndependentCase = {
  id: string;
  rule: string;
  why: string;
  files: CaseFile[];
  /** native id of the action the case is about */
  subject: string;
  expect: { status: string; tolerate?: string[]; reason?: string[]; approval?: string | null; grant?: string | null };
  /** A product gap found by this case and not fixed: the test expects the mismatch until it is. */
  knownGap?: string;
};

const ACCOUNT = "111122223333";
const DAY0 = Date.parse("2026-10-01T00:00:00Z");
const H = 3_600_000;
const S = 1_000;

/** The case's own day at hh:mm:ss UTC (plus offset ms). */
function at(n: number, hh: number, mm = 0, ss = 0, plusMs = 0): Date {
  return new Date(DAY0 + n * 24 * H + hh * H + mm * 60_000 + ss * S + plusMs);
}
const iso = (d: Date) => d.toISOString().replace(".000Z", "Z");
/** ServiceNow's raw date-time format (UTC). */
const snTime = (d: Date) => d.toISOString().slice(0, 19).replace("T", " ");
/** Jira's time format. */
const jiraTime = (d: Date) => d.toISOString().replace("Z", "+0000");
const sysId = (seed: string) => (seed.replace(/[^0-9a-f]/g, "") + "0".repeat(32)).slice(0, 32).padEnd(32, "0");
/** A stable 32-hex-digit id derived from a name (sys_ids, event ids). */
function hexId(s: string): string {
  return createHash("sha256").update(s).digest("hex").slice(0, 32);
}

// ---------------------------------------------------------------- AWS CloudTrail
type AwsActor =
  | { type: "IAMUser"; userName: string }
  | { type: "AssumedRole"; role: string; session: string; sourceIdentity?: string; ssoRegion?: string };

function cloudTrail(o: {
  eventID: string;
  time: Date;
  actor: AwsActor;
  eventName?: string;
  eventSource?: string;
  bucket?: string;
  requestParameters?: Record<string, unknown>;
}): Record<string, unknown> {
  const eventName = o.eventName ?? "PutBucketLogging";
  const a = o.actor;
  let userIdentity: Record<string, unknown>;
  if (a.type === "IAMUser") {
    userIdentity = {
      type: "IAMUser",
      principalId: `AIDA${hexId(a.userName).slice(0, 17).toUpperCase()}`,
      arn: `arn:aws:iam::${ACCOUNT}:user/${a.userName}`,
      accountId: ACCOUNT,
      accessKeyId: `AKIA${hexId(o.eventID).slice(0, 16).toUpperCase()}`,
      userName: a.userName,
    };
  } else {
    const rolePath = a.ssoRegion ? `aws-reserved/sso.amazonaws.com/${a.ssoRegion}/` : "";
    userIdentity = {
      type: "AssumedRole",
      principalId: `AROA${hexId(a.role).slice(0, 17).toUpperCase()}:${a.session}`,
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${a.role}/${a.session}`,
      accountId: ACCOUNT,
      accessKeyId: `ASIA${hexId(o.eventID).slice(0, 16).toUpperCase()}`,
      sessionContext: {
        sessionIssuer: {
          type: "Role",
          principalId: `AROA${hexId(a.role).slice(0, 17).toUpperCase()}`,
          arn: `arn:aws:iam::${ACCOUNT}:role/${rolePath}${a.role}`,
          accountId: ACCOUNT,
          userName: a.role,
        },
        attributes: { creationDate: iso(new Date(o.time.getTime() - 10 * 60_000)), mfaAuthenticated: "false" },
        ...(a.sourceIdentity ? { sourceIdentity: a.sourceIdentity } : {}),
      },
    };
  }
  const bucket = o.bucket ?? "acme-payments-logs";
  return {
    eventVersion: "1.09",
    userIdentity,
    eventTime: iso(o.time),
    eventSource: o.eventSource ?? "s3.amazonaws.com",
    eventName,
    awsRegion: "eu-west-1",
    sourceIPAddress: "198.51.100.23",
    userAgent: "aws-cli/2.15.30 Python/3.11.8 Linux/6.5.0 exe/x86_64.ubuntu.22",
    requestParameters: o.requestParameters ?? {
      bucketName: bucket,
      BucketLoggingStatus: { xmlns: "http://s3.amazonaws.com/doc/2006-03-01/" },
      logging: "",
    },
    responseElements: null,
    requestID: hexId(o.eventID).slice(0, 16).toUpperCase(),
    eventID: o.eventID,
    readOnly: false,
    eventType: "AwsApiCall",
    managementEvent: true,
    recipientAccountId: ACCOUNT,
    eventCategory: "Management",
  };
}
const trail = (name: string, records: unknown[]): CaseFile => ({ name: `${name}_CloudTrail_eu-west-1.json`, body: { Records: records } });

// ---------------------------------------------------------------- Sessionproof grant feed (docs/grant-format.md)
type Grant = {
  grant_id: string;
  principal: string;
  privilege: string;
  platform?: string | null;
  granted_at: Date;
  expires_at?: Date | null;
  revoked_at?: Date | null;
  approved_by?: string | null;
  ticket?: string | null;
  principal_type?: string;
};
function grants(name: string, gs: Grant[]): CaseFile {
  return {
    name: `${name}-grants.json`,
    body: gs.map((g) => ({
      grant_id: g.grant_id,
      principal: g.principal,
      principal_type: g.principal_type ?? "human",
      privilege: g.privilege,
      platform: g.platform === undefined ? `aws:${ACCOUNT}` : g.platform,
      requested_at: iso(new Date(g.granted_at.getTime() - 5 * 60_000)),
      granted_at: iso(g.granted_at),
      expires_at: g.expires_at ? iso(g.expires_at) : null,
      revoked_at: g.revoked_at ? iso(g.revoked_at) : null,
      approved_by: g.approved_by ?? null,
      ticket: g.ticket ?? null,
      justification: g.ticket ? `Change ${g.ticket}` : "break-glass",
    })),
  };
}

// ---------------------------------------------------------------- ServiceNow (Table API, sysparm_display_value=all)
const all = (value: string, display: string = value) => ({ display_value: display, value });
type SnPerson = { name: string; id: string };
function snChange(o: {
  number: string;
  approval: "approved" | "rejected" | "requested" | "not requested" | "cancelled";
  state?: { value: string; display: string };
  approvalSet?: Date | null;
  updated: Date;
  requestedBy: SnPerson;
  assignedTo?: SnPerson;
  start?: Date;
  end?: Date;
  cmdbCi?: string;
  targetSystems?: string;
  targetResources?: string;
  short: string;
  description?: string;
}): Record<string, unknown> {
  const sid = sysId(hexId(o.number));
  const r: Record<string, unknown> = {
    sys_id: all(sid),
    number: all(o.number),
    sys_class_name: all("change_request", "Change Request"),
    short_description: all(o.short),
    description: all(o.description ?? ""),
    type: all("normal", "Normal"),
    state: o.state ? all(o.state.value, o.state.display) : all("-1", "Implement"),
    approval: all(o.approval, o.approval[0].toUpperCase() + o.approval.slice(1)),
    approval_set: o.approvalSet ? all(snTime(o.approvalSet)) : all("", ""),
    requested_by: all(o.requestedBy.id, o.requestedBy.name),
    opened_by: all(o.requestedBy.id, o.requestedBy.name),
    assigned_to: o.assignedTo ? all(o.assignedTo.id, o.assignedTo.name) : all("", ""),
    cmdb_ci: o.cmdbCi ? all(sysId(hexId(o.cmdbCi)), o.cmdbCi) : all("", ""),
    start_date: o.start ? all(snTime(o.start)) : all("", ""),
    end_date: o.end ? all(snTime(o.end)) : all("", ""),
    opened_at: all(snTime(new Date(o.updated.getTime() - 20 * H))),
    sys_created_on: all(snTime(new Date(o.updated.getTime() - 20 * H))),
    sys_updated_on: all(snTime(o.updated)),
  };
  if (o.targetSystems !== undefined) r.u_target_systems = all(o.targetSystems);
  if (o.targetResources !== undefined) r.u_target_resources = all(o.targetResources);
  return r;
}
function snApprover(o: { number: string; approver: SnPerson; state: "approved" | "rejected" | "requested"; at: Date }) {
  return {
    sys_id: all(sysId(hexId(`ap${o.number}${o.approver.id}`))),
    sysapproval: all(sysId(hexId(o.number)), o.number),
    document_id: all(sysId(hexId(o.number)), o.number),
    source_table: all("change_request", "Change Request"),
    approver: all(o.approver.id, o.approver.name),
    state: all(o.state, o.state[0].toUpperCase() + o.state.slice(1)),
    comments: all(""),
    sys_created_on: all(snTime(new Date(o.at.getTime() - H))),
    sys_updated_on: all(snTime(o.at)),
  };
}
const changes = (name: string, records: unknown[]): CaseFile => ({ name: `${name}-change_request.json`, body: { result: records } });
const approvers = (name: string, records: unknown[]): CaseFile => ({
  name: `${name}-sysapproval_approver.json`,
  body: { result: records },
});
const snUser = (email: string): SnPerson => ({ name: email, id: sysId(hexId(email)) });

// ---------------------------------------------------------------- Jira (REST API v3 issue, expand=changelog,names)
type JiraUser = { accountId: string; emailAddress: string; displayName: string; accountType: "atlassian" | "app" };
const jiraUser = (email: string): JiraUser => ({
  accountId: `557058:${hexId(email).slice(0, 8)}-0000-4000-8000-${hexId(email).slice(8, 20)}`,
  emailAddress: email,
  displayName: email.split("@")[0].replace(".", " "),
  accountType: "atlassian",
});
type JiraMove = { at: Date; author: string; from: string; to: string };
function jiraIssue(o: {
  key: string;
  status: string;
  reporter: string;
  assignee?: string;
  moves?: JiraMove[];
  components?: string[];
  summary: string;
  created: Date;
  updated: Date;
  window?: { start: Date; end: Date };
  jsmApprovals?: { decision: "approved" | "declined" | "pending"; approver: string; at: Date };
}): CaseFile {
  const id = String(20000 + (parseInt(hexId(o.key).slice(0, 8), 16) % 900000));
  const fields: Record<string, unknown> = {
    summary: o.summary,
    issuetype: { id: "10100", name: "Access Request" },
    project: { id: "10000", key: o.key.split("-")[0], name: "Security" },
    status: { name: o.status, statusCategory: { key: "indeterminate", name: "In Progress" } },
    reporter: jiraUser(o.reporter),
    creator: jiraUser(o.reporter),
    assignee: o.assignee ? jiraUser(o.assignee) : null,
    components: (o.components ?? []).map((c, i) => ({
      id: String(10020 + i),
      name: c,
      self: `https://acme.atlassian.net/rest/api/3/component/${10020 + i}`,
    })),
    created: jiraTime(o.created),
    updated: jiraTime(o.updated),
    description: {
      type: "doc",
      version: 1,
      content: [{ type: "paragraph", content: [{ type: "text", text: o.summary }] }],
    },
  };
  const issue: Record<string, unknown> = {
    expand: "renderedFields,names,schema,operations,editmeta,changelog",
    id,
    self: `https://acme.atlassian.net/rest/api/3/issue/${id}`,
    key: o.key,
    fields,
  };
  if (o.window) {
    fields.customfield_10051 = jiraTime(o.window.start);
    fields.customfield_10052 = jiraTime(o.window.end);
    issue.names = { summary: "Summary", status: "Status", customfield_10051: "Change start", customfield_10052: "Change end" };
  }
  if (o.jsmApprovals) {
    const a = o.jsmApprovals;
    fields.customfield_10027 = [
      {
        id: "1",
        name: "Change approval",
        finalDecision: a.decision,
        canAnswerApproval: false,
        approvers: [{ approver: jiraUser(a.approver), approverDecision: a.decision }],
        createdDate: { iso8601: jiraTime(new Date(a.at.getTime() - H)) },
        completedDate: a.decision === "pending" ? undefined : { iso8601: jiraTime(a.at), epochMillis: a.at.getTime() },
      },
    ];
  }
  if (o.moves) {
    issue.changelog = {
      startAt: 0,
      maxResults: o.moves.length,
      total: o.moves.length,
      histories: o.moves.map((m, i) => ({
        id: String(40000 + i),
        author: jiraUser(m.author),
        created: jiraTime(m.at),
        items: [{ field: "status", fieldtype: "jira", fieldId: "status", from: "1", fromString: m.from, to: "2", toString: m.to }],
      })),
    };
  }
  return { name: `jira-issue-${o.key}.json`, body: issue };
}

// ---------------------------------------------------------------- Okta System Log
function oktaEvent(o: {
  uuid: string;
  time: Date;
  eventType: string;
  actor: string;
  target?: string;
  privilege?: string;
  display?: string;
}) {
  return {
    actor: {
      id: `00u${hexId(o.actor).slice(0, 17)}`,
      type: "User",
      alternateId: o.actor,
      displayName: o.actor.split("@")[0],
      detailEntry: null,
    },
    client: {
      userAgent: {
        rawUserAgent: "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Safari/605.1.15",
        os: "Mac OS X",
        browser: "SAFARI",
      },
      zone: "null",
      device: "Computer",
      id: null,
      ipAddress: "198.51.100.7",
      geographicalContext: {
        city: "Amsterdam",
        state: "North Holland",
        country: "Netherlands",
        postalCode: "1012",
        geolocation: { lat: 52.37, lon: 4.89 },
      },
    },
    authenticationContext: {
      authenticationProvider: null,
      credentialProvider: null,
      credentialType: null,
      issuer: null,
      interface: null,
      authenticationStep: 0,
      externalSessionId: `idx${hexId(o.actor).slice(0, 20)}`,
    },
    displayMessage: o.display ?? "Grant user privilege",
    eventType: o.eventType,
    outcome: { result: "SUCCESS", reason: null },
    published: o.time.toISOString(),
    securityContext: { asNumber: null, asOrg: null, isp: null, domain: null, isProxy: null },
    severity: "INFO",
    debugContext: { debugData: { ...(o.privilege ? { privilegeGranted: o.privilege } : {}), requestId: `R${hexId(o.uuid).slice(0, 20)}` } },
    legacyEventType: null,
    transaction: { type: "WEB", id: `R${hexId(o.uuid).slice(0, 20)}`, detail: {} },
    uuid: o.uuid,
    version: "0",
    request: {
      ipChain: [{ ip: "198.51.100.7", geographicalContext: { city: "Amsterdam", country: "Netherlands" }, version: "V4", source: null }],
    },
    target: o.target
      ? [
          {
            id: `00u${hexId(o.target).slice(0, 17)}`,
            type: "User",
            alternateId: o.target,
            displayName: o.target.split("@")[0],
            detailEntry: null,
          },
        ]
      : [],
  };
}
const oktaLog = (name: string, events: unknown[]): CaseFile => ({ name: `${name}-okta-system-log.json`, body: events });

// ---------------------------------------------------------------- GitHub audit log (streaming, NDJSON → array here)
function githubEvent(o: { id: string; time: Date; action: string; actor: string; repo: string }) {
  return {
    "@timestamp": o.time.getTime(),
    _document_id: o.id,
    action: o.action,
    actor: o.actor,
    actor_id: 5000000 + (hexId(o.actor).charCodeAt(0) % 1000),
    actor_ip: "203.0.113.24",
    actor_location: { country_code: "PT" },
    business: "acme",
    business_id: 9001,
    created_at: o.time.getTime(),
    org: "acme-corp",
    org_id: 4242,
    repo: o.repo,
    repo_id: 778899001,
    workflow_id: 4411,
    workflow_run_id: 99887766,
    request_id: "C1D2:3E4F:5A6B7C:8D9E0F:67C6F0A0",
    user_agent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
    operation_type: "remove",
  };
}
const githubLog = (name: string, events: unknown[]): CaseFile => ({ name: `${name}-github-audit-log.json`, body: events });

// ================================================================ the cases
const cases: IndependentCase[] = [];
let day = 0;

/**
 * The common shape: an approved ServiceNow change (approver record by a third person, scoped to the AWS account and the
 * bucket), a grant naming it, and one PutBucketLogging on the bucket by the grantee. Each field can be bent.
 */
function snAwsCase(o: {
  id: string;
  rule: string;
  why: string;
  status: string;
  tolerate?: string[];
  reason?: string[];
  approvedAt?: (n: number) => Date;
  actionAt?: (n: number) => Date;
  window?: (n: number) => { start: Date; end: Date };
  grantWindow?: (n: number) => { start: Date; end: Date | null; revoked?: Date };
  change?: Partial<Parameters<typeof snChange>[0]>;
  approverState?: "approved" | "rejected" | "requested";
  approverIsRequester?: boolean;
  noApproverRecord?: boolean;
  grantTicket?: string | null;
  grantPrivilege?: string;
  grantPlatform?: string | null;
  noGrant?: boolean;
  actor?: (email: string) => AwsActor;
  grantPrincipal?: (email: string) => string;
  extraFiles?: (n: number, ids: { actor: string; ticket: string; grant: string }) => CaseFile[];
  expectApproval?: string | null;
  expectGrant?: string | null;
}) {
  const n = ++day;
  const actor = `${o.id}.actor@example.com`;
  const requester = snUser(`${o.id}.requester@example.com`);
  const approver = o.approverIsRequester ? requester : snUser(`${o.id}.approver@example.com`);
  const ticket = `CHG${String(7000000 + n)}`;
  const grantId = `gr-${o.id}`;
  const approvedAt = o.approvedAt ? o.approvedAt(n) : at(n, 8);
  const actionAt = o.actionAt ? o.actionAt(n) : at(n, 10);
  const gw = o.grantWindow ? o.grantWindow(n) : { start: at(n, 9, 30), end: at(n, 11) };
  const win = o.window?.(n);
  const change = snChange({
    number: ticket,
    approval: "approved",
    approvalSet: approvedAt,
    updated: new Date(approvedAt.getTime() + 60_000),
    requestedBy: requester,
    assignedTo: snUser(actor),
    start: win?.start,
    end: win?.end,
    cmdbCi: `aws:${ACCOUNT}`,
    targetResources: "acme-payments-logs",
    short: `Turn off access logging on acme-payments-logs during log bucket migration (${o.id})`,
    ...o.change,
  });
  const files: CaseFile[] = [changes(o.id, [change])];
  if (!o.noApproverRecord)
    files.push(approvers(o.id, [snApprover({ number: ticket, approver, state: o.approverState ?? "approved", at: approvedAt })]));
  if (!o.noGrant)
    files.push(
      grants(o.id, [
        {
          grant_id: grantId,
          principal: o.grantPrincipal ? o.grantPrincipal(actor) : actor,
          privilege: o.grantPrivilege ?? "s3:PutBucketLogging",
          platform: o.grantPlatform,
          granted_at: gw.start,
          expires_at: gw.end,
          revoked_at: gw.revoked ?? null,
          approved_by: approver.name,
          ticket: o.grantTicket === undefined ? ticket : o.grantTicket,
        },
      ]),
    );
  const eventID = `${hexId(o.id).slice(0, 8)}-1111-4111-8111-${hexId(o.id).slice(8, 20)}`;
  files.push(
    trail(o.id, [cloudTrail({ eventID, time: actionAt, actor: o.actor ? o.actor(actor) : { type: "IAMUser", userName: actor } })]),
  );
  files.push(...(o.extraFiles?.(n, { actor, ticket, grant: grantId }) ?? []));
  cases.push({
    id: o.id,
    rule: o.rule,
    why: o.why,
    files,
    subject: eventID,
    expect: {
      status: o.status,
      tolerate: o.tolerate,
      reason: o.reason,
      approval: o.expectApproval === undefined ? ticket : o.expectApproval,
      grant: o.expectGrant === undefined ? (o.noGrant ? null : grantId) : o.expectGrant,
    },
  });
}

/** Same shape with a Jira ticket (scoped by components) instead of ServiceNow. */
function jiraAwsCase(o: {
  id: string;
  rule: string;
  why: string;
  status: string;
  tolerate?: string[];
  reason?: string[];
  issue: (n: number, p: { actor: string; requester: string; approver: string; key: string }) => Parameters<typeof jiraIssue>[0];
  actionAt?: (n: number) => Date;
  grantWindow?: (n: number) => { start: Date; end: Date | null };
  grantTicket?: (key: string) => string;
  extraFiles?: (n: number, p: { actor: string; requester: string; approver: string; key: string }) => CaseFile[];
  expectApproval?: string | null;
}) {
  const n = ++day;
  const p = {
    actor: `${o.id}.actor@example.com`,
    requester: `${o.id}.requester@example.com`,
    approver: `${o.id}.approver@example.com`,
    key: `SEC-${3000 + n}`,
  };
  const grantId = `gr-${o.id}`;
  const gw = o.grantWindow ? o.grantWindow(n) : { start: at(n, 9, 30), end: at(n, 11) };
  const eventID = `${hexId(o.id).slice(0, 8)}-2222-4222-8222-${hexId(o.id).slice(8, 20)}`;
  const files: CaseFile[] = [
    jiraIssue(o.issue(n, p)),
    grants(o.id, [
      {
        grant_id: grantId,
        principal: p.actor,
        privilege: "s3:PutBucketLogging",
        granted_at: gw.start,
        expires_at: gw.end,
        approved_by: p.approver,
        ticket: o.grantTicket ? o.grantTicket(p.key) : p.key,
      },
    ]),
    trail(o.id, [cloudTrail({ eventID, time: o.actionAt ? o.actionAt(n) : at(n, 10), actor: { type: "IAMUser", userName: p.actor } })]),
    ...(o.extraFiles?.(n, p) ?? []),
  ];
  cases.push({
    id: o.id,
    rule: o.rule,
    why: o.why,
    files,
    subject: eventID,
    expect: {
      status: o.status,
      tolerate: o.tolerate,
      reason: o.reason,
      approval: o.expectApproval === undefined ? p.key : o.expectApproval,
      grant: grantId,
    },
  });
}

/** A Jira issue approved in the changelog by the approver at 08:00, scoped to the account and the bucket. */
const approvedIssue =
  (over: Partial<Parameters<typeof jiraIssue>[0]> = {}) =>
  (n: number, p: { actor: string; requester: string; approver: string; key: string }): Parameters<typeof jiraIssue>[0] => ({
    key: p.key,
    status: "Approved",
    reporter: p.requester,
    assignee: p.actor,
    summary: "Disable access logging on acme-payments-logs for the log bucket migration",
    components: [`aws:${ACCOUNT}`, "acme-payments-logs"],
    created: at(n, 7),
    updated: at(n, 8),
    moves: [
      { at: at(n, 7, 5), author: p.requester, from: "Open", to: "Waiting for approval" },
      { at: at(n, 8), author: p.approver, from: "Waiting for approval", to: "Approved" },
    ],
    ...over,
  });

// ---- baseline
snAwsCase({
  id: "ok-sn",
  rule: "all rules pass (ServiceNow)",
  why: "Approved change (state Implement, approval approved, approver record by a third person) scoped to aws:<account> and the bucket, approved 08:00, grant 09:30–11:00 naming it, action 10:00: every rule holds.",
  status: "ok",
});
jiraAwsCase({
  id: "ok-jira",
  rule: "all rules pass (Jira)",
  why: "Jira issue moved Waiting for approval → Approved by a third person at 08:00, components name aws:<account> and the bucket; grant and action inside.",
  status: "ok",
  issue: approvedIssue(),
});

// NOTE (after the first run): the "just beyond" skew cases first expected the words "121" in the reason. The product
// printed "3 min" for 121 s (rounded up to whole minutes), which hides why 121 s fails a 120 s tolerance: a product
// bug, fixed (offsets are now exact: "2 min 1 s"); the cases now look for that wording.

// ---- approved_after_action
snAwsCase({
  id: "after-1h",
  rule: "approved_after_action",
  why: "Approval at 11:00 for an action at 10:00 (grant 09:00–12:00): an approval authorizes only later actions.",
  status: "approved_after_action",
  approvedAt: (n) => at(n, 11),
  grantWindow: (n) => ({ start: at(n, 9), end: at(n, 12) }),
});
snAwsCase({
  id: "after-skew-exact",
  rule: "approved_after_action with skew (edge)",
  why: "Approval 120 s after the action: exactly the clock-skew tolerance (default 120 s, applied at both window edges), so it is accepted.",
  status: "ok",
  approvedAt: (n) => at(n, 10, 2, 0),
  grantWindow: (n) => ({ start: at(n, 9), end: at(n, 12) }),
});
snAwsCase({
  id: "after-skew-beyond",
  rule: "approved_after_action with skew (just beyond)",
  why: "Approval 121 s after the action: one second beyond the tolerance; the reason states the measured offset.",
  status: "approved_after_action",
  reason: ["2 min 1 s"],
  approvedAt: (n) => at(n, 10, 2, 1),
  grantWindow: (n) => ({ start: at(n, 9), end: at(n, 12) }),
});
snAwsCase({
  id: "after-inside-window",
  rule: "approved_after_action inside a planned window",
  why: "Planned window 09:00–11:00 but the approval came at 09:45; the action at 09:30 is inside the window yet before the approval: not authorized.",
  status: "approved_after_action",
  approvedAt: (n) => at(n, 9, 45),
  actionAt: (n) => at(n, 9, 30),
  window: (n) => ({ start: at(n, 9), end: at(n, 11) }),
  grantWindow: (n) => ({ start: at(n, 9), end: at(n, 12) }),
});

// ---- approval validity: default 24 h
snAwsCase({
  id: "expired-24h",
  rule: "approval_expired (default validity 24 h)",
  why: "No planned window; approved 08:00, action the next day 09:00 (25 h later) under a fresh grant: past the 24 h validity.",
  status: "approval_expired",
  actionAt: (n) => at(n + 1, 9),
  grantWindow: (n) => ({ start: at(n + 1, 8, 30), end: at(n + 1, 9, 30) }),
});
day++; // the case above uses the next day too
snAwsCase({
  id: "validity-edge-exact",
  rule: "approval validity edge with skew",
  why: "Action 24 h + 120 s after approval: the validity end plus exactly the tolerance, accepted.",
  status: "ok",
  actionAt: (n) => at(n + 1, 8, 2, 0),
  grantWindow: (n) => ({ start: at(n + 1, 7), end: at(n + 1, 9) }),
});
day++;
snAwsCase({
  id: "validity-edge-beyond",
  rule: "approval_expired just beyond the skew",
  why: "Action 24 h + 121 s after approval: one second beyond validity + tolerance; the reason states the offset (121 s).",
  status: "approval_expired",
  reason: ["2 min 1 s"],
  actionAt: (n) => at(n + 1, 8, 2, 1),
  grantWindow: (n) => ({ start: at(n + 1, 7), end: at(n + 1, 9) }),
});
day++;

// ---- planned window edges
const win10to11 = (n: number) => ({ start: at(n, 10), end: at(n, 11) });
const grant9to12 = (n: number) => ({ start: at(n, 9), end: at(n, 12) });
snAwsCase({
  id: "window-start-exact",
  rule: "planned window start edge with skew",
  why: "Planned window 10:00–11:00 (ServiceNow start_date/end_date), action at 09:58:00: 120 s early, within tolerance.",
  status: "ok",
  window: win10to11,
  grantWindow: grant9to12,
  actionAt: (n) => at(n, 9, 58, 0),
});
snAwsCase({
  id: "window-start-beyond",
  rule: "approval_not_yet_valid just beyond the skew",
  why: "Action at 09:57:59: 121 s before the planned window opens; approved (08:00) but not yet valid; reason states 121 s.",
  status: "approval_not_yet_valid",
  reason: ["2 min 1 s"],
  window: win10to11,
  grantWindow: grant9to12,
  actionAt: (n) => at(n, 9, 57, 59),
});
snAwsCase({
  id: "window-end-exact",
  rule: "planned window end edge with skew",
  why: "Action at 11:02:00: 120 s after the planned window closed, within tolerance.",
  status: "ok",
  window: win10to11,
  grantWindow: grant9to12,
  actionAt: (n) => at(n, 11, 2, 0),
});
snAwsCase({
  id: "window-end-beyond",
  rule: "approval_expired (planned window) just beyond the skew",
  why: "Action at 11:02:01: 121 s after the planned window closed; reason states 121 s.",
  status: "approval_expired",
  reason: ["2 min 1 s"],
  window: win10to11,
  grantWindow: grant9to12,
  actionAt: (n) => at(n, 11, 2, 1),
});
snAwsCase({
  id: "window-beats-validity",
  rule: "approval_expired: the planned window, not 24 h, bounds a ticket that has one",
  why: "Window 10:00–11:00, approved 08:00, action 13:00 — within 24 h of approval but two hours after the window: expired.",
  status: "approval_expired",
  window: win10to11,
  grantWindow: (n) => ({ start: at(n, 12), end: at(n, 14) }),
  actionAt: (n) => at(n, 13),
});
jiraAwsCase({
  id: "jira-window-expired",
  rule: "approval_expired (Jira change window from expand=names)",
  why: "Jira issue with 'Change start'/'Change end' custom fields 09:00–09:45; the action at 10:00 is 15 min after the window (well within 24 h of the approval).",
  status: "approval_expired",
  issue: (n, p) => ({ ...approvedIssue()(n, p), window: { start: at(n, 9), end: at(n, 9, 45) } }),
  grantWindow: (n) => ({ start: at(n, 9), end: at(n, 11) }),
});

// ---- ticket reuse over the maximum (default 20)
for (const uses of [20, 21]) {
  const n = ++day;
  const id = `reuse-${uses}`;
  const actor = `${id}.actor@example.com`;
  const requester = snUser(`${id}.requester@example.com`);
  const approver = snUser(`${id}.approver@example.com`);
  const ticket = `CHG${String(7000000 + n)}`;
  // NOTE (after the first run): the product counts the grant record itself as one of the ticket's uses (the grant is a
  // privileged action in its own right: lib/sources/pam-grants/privileged.ts, "a grant record is itself a privilege
  // assignment: it needs an approved ticket"). A defensible reading of "a ticket used for more actions than the
  // maximum", so `uses` counts the grant: uses - 1 platform actions plus the grant.
  const events = Array.from({ length: uses - 1 }, (_, i) =>
    cloudTrail({
      eventID: `${hexId(id).slice(0, 8)}-3333-4333-8333-${String(i).padStart(12, "0")}`,
      time: at(n, 10, i),
      actor: { type: "IAMUser", userName: actor },
    }),
  );
  cases.push({
    id,
    rule: uses > 20 ? "ticket_overused" : "ticket reuse at the maximum",
    why:
      uses > 20
        ? "One approved change cited by its grant and 20 PutBucketLogging calls made under it (21 uses); the default maximum is 20, so the 21st use is flagged with the count."
        : "Exactly 20 uses of one ticket (its grant and 19 actions): at the maximum, not over it; the last action is ok.",
    files: [
      changes(id, [
        snChange({
          number: ticket,
          approval: "approved",
          approvalSet: at(n, 8),
          updated: at(n, 8, 1),
          requestedBy: requester,
          cmdbCi: `aws:${ACCOUNT}`,
          targetResources: "acme-payments-logs",
          short: "Repeated logging reconfiguration of acme-payments-logs",
        }),
      ]),
      approvers(id, [snApprover({ number: ticket, approver, state: "approved", at: at(n, 8) })]),
      grants(id, [
        {
          grant_id: `gr-${id}`,
          principal: actor,
          privilege: "s3:PutBucketLogging",
          granted_at: at(n, 9, 30),
          expires_at: at(n, 11),
          approved_by: approver.name,
          ticket,
        },
      ]),
      trail(id, events),
    ],
    subject: (events[events.length - 1] as { eventID: string }).eventID,
    expect:
      uses > 20
        ? { status: "ticket_overused", reason: ["21"], approval: ticket, grant: `gr-${id}` }
        : { status: "ok", approval: ticket, grant: `gr-${id}` },
  });
}

// ---- scope
// NOTE (after the first run): when the grant names the ticket, the product reports the ticket's problem (unscoped,
// rejected, pending) as grant_ticket_invalid, with the ticket's problem in the reason ("another ticket does not stand in
// for it"). That is the issue's own rule for a grant's ticket ("needs that ticket approved and in scope"), so these
// cases now expect grant_ticket_invalid and look for the ticket's problem in the reason. The plain statuses
// (approval_unscoped, ticket_rejected, unapproved) are tested by the *-no-grant cases, where the ticket is found
// through the person it names.
snAwsCase({
  id: "unscoped-free-text",
  rule: "approval_unscoped: free text does not count",
  why: "The change names the bucket and AWS only in its short description/description; no configuration item or object field: unscoped.",
  status: "grant_ticket_invalid",
  reason: ["free text does not count"],
  change: {
    cmdbCi: undefined,
    targetResources: undefined,
    short: "Disable access logging on acme-payments-logs in AWS account 111122223333",
  },
});
jiraAwsCase({
  id: "unscoped-substring",
  rule: "approval_unscoped: a longer name containing the object is not the object",
  why: "Components aws:<account> and 'acme-payments-logs-archive'; the action is on 'acme-payments-logs' — a substring match, not the same object.",
  status: "grant_ticket_invalid",
  reason: ["not what was acted on"],
  issue: approvedIssue({ components: [`aws:${ACCOUNT}`, "acme-payments-logs-archive"] }),
});
jiraAwsCase({
  id: "unscoped-platform-only",
  rule: "approval_unscoped: platform without object or category",
  why: "The only component is aws:<account>; the ticket must also name the object or privileged category acted on.",
  status: "grant_ticket_invalid",
  reason: ["not what was acted on"],
  issue: approvedIssue({ components: [`aws:${ACCOUNT}`] }),
});
snAwsCase({
  id: "unscoped-object-only",
  rule: "approval_unscoped: object without platform",
  why: "u_target_resources names the bucket but no configuration item or system names the platform.",
  status: "grant_ticket_invalid",
  reason: ["not the platform"],
  change: { cmdbCi: undefined, targetResources: "acme-payments-logs" },
});
snAwsCase({
  id: "unscoped-wrong-platform",
  rule: "approval_unscoped: another platform",
  why: "The change's CI is github:acme-corp; a bucket of that name on AWS is not what was approved.",
  status: "grant_ticket_invalid",
  reason: ["not the platform"],
  change: { cmdbCi: "github:acme-corp" },
});
snAwsCase({
  id: "scope-normalized-arn",
  rule: "scope names are normalized",
  why: "CI 'AWS:111122223333' (upper case) and u_target_resources 'arn:aws:s3:::acme-payments-logs' (the bucket's ARN, as CloudTrail names it): the same platform and object after normalization.",
  status: "ok",
  change: { cmdbCi: `AWS:${ACCOUNT}`, targetResources: "arn:aws:s3:::acme-payments-logs" },
});
snAwsCase({
  id: "scope-normalized-case",
  rule: "scope names are normalized (case, spaces)",
  why: "u_target_resources ' ACME-Payments-Logs ' with surrounding spaces and mixed case names the same bucket.",
  status: "ok",
  change: { targetResources: " ACME-Payments-Logs , arn:aws:s3:::acme-other" },
});

// ---- separation of duties
jiraAwsCase({
  id: "self-requester-moves",
  rule: "self_approved: requester moves own Jira issue to Approved",
  why: "The reporter herself moved the issue Waiting for approval → Approved; the approver is the requester.",
  status: "self_approved",
  issue: (n, p) => ({
    ...approvedIssue()(n, p),
    moves: [
      { at: at(n, 7, 5), author: p.requester, from: "Open", to: "Waiting for approval" },
      { at: at(n, 8), author: p.requester, from: "Waiting for approval", to: "Approved" },
    ],
  }),
});
jiraAwsCase({
  id: "self-actor-approves",
  rule: "self_approved: the actor approved the ticket",
  why: "Another person requested it, but the person who then acted (the assignee) moved it to Approved.",
  status: "self_approved",
  issue: (n, p) => ({
    ...approvedIssue()(n, p),
    moves: [
      { at: at(n, 7, 5), author: p.requester, from: "Open", to: "Waiting for approval" },
      { at: at(n, 8), author: p.actor, from: "Waiting for approval", to: "Approved" },
    ],
  }),
});
jiraAwsCase({
  id: "self-jsm-approvals",
  rule: "self_approved: JSM approvals field names the requester as approver",
  why: "A Jira Service Management approval step decided 'approved' by the reporter.",
  status: "self_approved",
  issue: (n, p) => ({
    ...approvedIssue()(n, p),
    status: "Implementing",
    moves: undefined,
    jsmApprovals: { decision: "approved", approver: p.requester, at: at(n, 8) },
  }),
});
snAwsCase({
  id: "self-sn-approver",
  rule: "self_approved: ServiceNow approver record by the requester",
  why: "The sysapproval_approver record approving the change is the requested_by user (same sys_user).",
  status: "self_approved",
  approverIsRequester: true,
});
jiraAwsCase({
  id: "approver-unknown",
  rule: "approver_unknown: status Approved without who",
  why: "The issue's status is Approved but it carries neither changelog nor approvals field: nobody can be shown to have approved it, so separation of duties cannot be verified.",
  status: "approver_unknown",
  // NOTE (after the first run): the product also fails approved_after_action and approval_expired, since a status with no
  // history records no approval time either: nothing shows the approval came before the action. Stricter than expected
  // and right; those are tolerated as the printed status.
  tolerate: ["approved_after_action", "approval_expired"],
  issue: (n, p) => ({ ...approvedIssue()(n, p), moves: undefined }),
});

// ---- ticket state (see the NOTE above the scope cases)
jiraAwsCase({
  id: "jira-declined-after-approval",
  rule: "ticket_rejected: approved, then declined",
  why: "Approved at 08:00, Declined at 08:30 (current status Declined): a declined ticket never authorizes.",
  status: "grant_ticket_invalid",
  reason: ["rejected or called off", "Declined"],
  issue: (n, p) => ({
    ...approvedIssue()(n, p),
    status: "Declined",
    moves: [
      { at: at(n, 7, 5), author: p.requester, from: "Open", to: "Waiting for approval" },
      { at: at(n, 8), author: p.approver, from: "Waiting for approval", to: "Approved" },
      { at: at(n, 8, 30), author: p.approver, from: "Approved", to: "Declined" },
    ],
  }),
});
jiraAwsCase({
  id: "jira-canceled",
  rule: "ticket_rejected: cancelled",
  why: "Approved, then Canceled by the requester before the work: cancelled tickets never authorize.",
  status: "grant_ticket_invalid",
  reason: ["rejected or called off", "Canceled"],
  issue: (n, p) => ({
    ...approvedIssue()(n, p),
    status: "Canceled",
    moves: [
      { at: at(n, 7, 5), author: p.requester, from: "Open", to: "Waiting for approval" },
      { at: at(n, 8), author: p.approver, from: "Waiting for approval", to: "Approved" },
      { at: at(n, 9), author: p.requester, from: "Approved", to: "Canceled" },
    ],
  }),
});
jiraAwsCase({
  id: "jira-withdrawn",
  rule: "ticket_rejected: withdrawn",
  why: "Approved, then Withdrawn: withdrawn tickets never authorize.",
  status: "grant_ticket_invalid",
  reason: ["rejected or called off", "Withdrawn"],
  issue: (n, p) => ({
    ...approvedIssue()(n, p),
    status: "Withdrawn",
    moves: [
      { at: at(n, 7, 5), author: p.requester, from: "Open", to: "Waiting for approval" },
      { at: at(n, 8), author: p.approver, from: "Waiting for approval", to: "Approved" },
      { at: at(n, 9), author: p.requester, from: "Approved", to: "Withdrawn" },
    ],
  }),
});
jiraAwsCase({
  id: "jira-pending",
  rule: "unapproved: still waiting for approval",
  why: "The issue sits in Waiting for approval: no decision, no authorization.",
  status: "grant_ticket_invalid",
  reason: ["records no approval"],
  issue: (n, p) => ({
    ...approvedIssue()(n, p),
    status: "Waiting for approval",
    moves: [{ at: at(n, 7, 5), author: p.requester, from: "Open", to: "Waiting for approval" }],
  }),
});
snAwsCase({
  id: "sn-rejected",
  rule: "ticket_rejected: ServiceNow approval rejected",
  why: "approval = rejected (and the approver record rejected): never authorizes.",
  status: "grant_ticket_invalid",
  reason: ["rejected or called off", "rejected"],
  change: { approval: "rejected", approvalSet: null },
  approverState: "rejected",
});
snAwsCase({
  id: "sn-closed-incomplete",
  rule: "ticket_rejected: state Closed Incomplete while approval says approved",
  why: "ServiceNow state and approval are both read: approval 'approved' but state 'Closed Incomplete' (4 on sc_task-like numbering, display value shown) — the change did not go ahead.",
  status: "grant_ticket_invalid",
  reason: ["rejected or called off", "Closed Incomplete"],
  change: { state: { value: "4", display: "Closed Incomplete" } },
});
snAwsCase({
  id: "sn-canceled-raw-state",
  rule: "ticket_rejected: change_request state 4 = Canceled",
  why: "Raw change_request state 4 (Canceled) with approval 'approved': a cancelled change never authorizes.",
  status: "grant_ticket_invalid",
  reason: ["rejected or called off", "Canceled"],
  change: { state: { value: "4", display: "4" } },
});
snAwsCase({
  id: "sn-requested",
  rule: "unapproved: ServiceNow approval requested",
  why: "approval = requested (pending), approver record requested: not approved.",
  status: "grant_ticket_invalid",
  reason: ["records no approval"],
  change: { approval: "requested", approvalSet: null, state: { value: "-4", display: "Assess" } },
  approverState: "requested",
});

// ---- grants and their tickets
snAwsCase({
  id: "grant-ticket-declined-other-approved",
  rule: "grant_ticket_invalid: another ticket does not rescue the grant",
  why: "The grant names a rejected change; a second, approved and in-scope change for the same person and bucket exists, but the grant was not made for it.",
  status: "grant_ticket_invalid",
  tolerate: ["ticket_rejected"],
  change: { approval: "rejected", approvalSet: null },
  approverState: "rejected",
  extraFiles: (n, ids) => {
    const other = `CHG${String(7500000 + n)}`;
    return [
      changes(`${ids.grant}-other`, [
        snChange({
          number: other,
          approval: "approved",
          approvalSet: at(n, 8),
          updated: at(n, 8, 1),
          requestedBy: snUser("other.requester@example.com"),
          assignedTo: snUser(ids.actor),
          cmdbCi: `aws:${ACCOUNT}`,
          targetResources: "acme-payments-logs",
          short: "Logging change on acme-payments-logs",
          targetSystems: `aws:${ACCOUNT}`,
        }),
      ]),
      approvers(`${ids.grant}-other`, [
        snApprover({ number: other, approver: snUser("other.approver@example.com"), state: "approved", at: at(n, 8) }),
      ]),
    ];
  },
});
snAwsCase({
  id: "grant-ticket-missing",
  rule: "grant_ticket_invalid: the grant's ticket does not exist",
  why: "The grant names CHG9999999, which no ingested ticket has; an approved change exists but is not the one the grant names.",
  status: "grant_ticket_invalid",
  tolerate: ["unapproved"],
  grantTicket: "CHG9999999",
  expectApproval: "CHG9999999",
});
snAwsCase({
  id: "grant-ticket-out-of-scope",
  rule: "grant_ticket_invalid: the grant's ticket is approved but for another object",
  why: "The grant's change is approved but scoped to bucket acme-hr-exports; the action is on acme-payments-logs.",
  status: "grant_ticket_invalid",
  tolerate: ["approval_unscoped"],
  change: { targetResources: "acme-hr-exports", short: "Logging change on acme-hr-exports" },
});

// ---- standing privilege and the JIT window
snAwsCase({
  id: "standing-open-grant",
  rule: "standing_privilege: a grant without an end",
  why: "The grant has no expires_at (and was never revoked): standing privilege, not a JIT window.",
  status: "standing_privilege",
  grantWindow: (n) => ({ start: at(n, 9, 30), end: null }),
});
snAwsCase({
  id: "standing-open-then-revoked",
  rule: "standing_privilege: open-ended grant revoked later",
  why: "No planned end (expires_at empty); it was revoked at 12:00, after the action. At the time of the action it was open-ended: standing privilege.",
  status: "standing_privilege",
  grantWindow: (n) => ({ start: at(n, 9, 30), end: null, revoked: at(n, 12) }),
});
snAwsCase({
  id: "standing-no-grant",
  rule: "standing_privilege: no grant where JIT is required",
  why: "An approved, scoped change but no grant at all; JIT is required on every platform by default.",
  status: "standing_privilege",
  tolerate: ["unapproved"],
  noGrant: true,
  expectApproval: undefined,
});
// the approval may or may not be found without a grant: do not assert it
cases[cases.length - 1].expect.approval = undefined;
snAwsCase({
  id: "grant-other-platform",
  rule: "standing_privilege: a grant on another platform does not cover AWS",
  why: "The person's only grant is on github:acme-corp; the AWS action ran with no AWS grant.",
  status: "standing_privilege",
  tolerate: ["unapproved", "approval_unscoped", "grant_ticket_invalid"],
  grantPlatform: "github:acme-corp",
  expectGrant: null,
});
cases[cases.length - 1].expect.approval = undefined;
snAwsCase({
  id: "grant-expired-2h",
  rule: "outside_window: action after the grant ended",
  why: "Grant 08:30–09:30, action 11:30 — two hours after the grant ended (approval still valid).",
  status: "outside_window",
  tolerate: ["standing_privilege"],
  grantWindow: (n) => ({ start: at(n, 8, 30), end: at(n, 9, 30) }),
  actionAt: (n) => at(n, 11, 30),
});
cases[cases.length - 1].expect.grant = undefined;
snAwsCase({
  id: "grant-revoked-early",
  rule: "outside_window: grant revoked before the action",
  why: "Grant 09:30–12:00 but revoked (checked in) at 10:00; the action at 10:30 ran after the privilege was taken back.",
  status: "outside_window",
  tolerate: ["standing_privilege"],
  grantWindow: (n) => ({ start: at(n, 9, 30), end: at(n, 12), revoked: at(n, 10) }),
  actionAt: (n) => at(n, 10, 30),
});
cases[cases.length - 1].expect.grant = undefined;
const grant10to11 = (n: number) => ({ start: at(n, 10), end: at(n, 11) });
snAwsCase({
  id: "grant-start-exact",
  rule: "JIT window start edge with skew",
  why: "Grant starts 10:00, action 09:58:00: 120 s early, within tolerance.",
  status: "ok",
  grantWindow: grant10to11,
  actionAt: (n) => at(n, 9, 58, 0),
});
snAwsCase({
  id: "grant-start-beyond",
  rule: "outside_window just beyond the skew (start)",
  why: "Action 09:57:59, 121 s before the grant starts; reason states 121 s.",
  status: "outside_window",
  tolerate: ["standing_privilege"],
  reason: ["2 min 1 s"],
  grantWindow: grant10to11,
  actionAt: (n) => at(n, 9, 57, 59),
});
cases[cases.length - 1].expect.grant = undefined;
snAwsCase({
  id: "grant-end-exact",
  rule: "JIT window end edge with skew",
  why: "Grant ends 11:00, action 11:02:00: 120 s late, within tolerance.",
  status: "ok",
  grantWindow: grant10to11,
  actionAt: (n) => at(n, 11, 2, 0),
});
snAwsCase({
  id: "grant-end-beyond",
  rule: "outside_window just beyond the skew (end)",
  why: "Action 11:02:01, 121 s after the grant ended; reason states 121 s.",
  status: "outside_window",
  tolerate: ["standing_privilege"],
  reason: ["2 min 1 s"],
  grantWindow: grant10to11,
  actionAt: (n) => at(n, 11, 2, 1),
});
cases[cases.length - 1].expect.grant = undefined;

// ---- over-broad grant
snAwsCase({
  id: "over-broad-admin",
  rule: "over_broad_grant",
  why: "AdministratorAccess (full admin of the account) was granted to turn off one bucket's logging (a scoped, single-object privilege).",
  status: "over_broad_grant",
  grantPrivilege: "AdministratorAccess",
});

// ---- identity: caller-chosen role session names
snAwsCase({
  id: "identity-session-name-only",
  rule: "identity_unproven: role session name without sourceIdentity",
  why: "AssumedRole ops-admin with session name = the grantee's email, no sourceIdentity, an ordinary (non-IdP) role: the caller chose that name; it proves no one.",
  status: "identity_unproven",
  tolerate: ["standing_privilege", "unapproved"],
  actor: (email) => ({ type: "AssumedRole", role: "ops-admin", session: email }),
  expectGrant: undefined,
  expectApproval: undefined,
});
cases[cases.length - 1].expect.grant = undefined;
cases[cases.length - 1].expect.approval = undefined;
snAwsCase({
  id: "identity-source-identity",
  rule: "identity proven by sourceIdentity",
  why: "Same role and session name, but sessionContext.sourceIdentity (set by the IdP, immutable) names the grantee: matched, ok.",
  status: "ok",
  actor: (email) => ({ type: "AssumedRole", role: "ops-admin", session: email, sourceIdentity: email }),
});
snAwsCase({
  id: "identity-spoofed-session-name",
  rule: "role session name spoofing",
  why: "Session name is the grantee's email but sourceIdentity names mallory: the action is mallory's, whom no grant or ticket covers.",
  status: "standing_privilege",
  tolerate: ["unapproved", "identity_unproven"],
  actor: (email) => ({ type: "AssumedRole", role: "ops-admin", session: email, sourceIdentity: "mallory@example.com" }),
  expectGrant: null,
});
cases[cases.length - 1].expect.approval = undefined;
snAwsCase({
  id: "identity-sso-role",
  rule: "identity proven by the IdP (IAM Identity Center role)",
  why: "AWSReservedSSO_ permission-set role under aws-reserved/sso.amazonaws.com: only Identity Center can assume it and it names the session after the signed-in user.",
  status: "ok",
  actor: (email) => ({ type: "AssumedRole", role: "AWSReservedSSO_LogAdmin_0123456789abcdef", session: email, ssoRegion: "eu-west-1" }),
});

// ---- catalog: not privileged → no check; other platforms
{
  const n = ++day;
  const uuid = `${hexId("okta-token").slice(0, 8)}-4444-4444-8444-${hexId("okta-token").slice(8, 20)}`;
  cases.push({
    id: "okta-token-not-privileged",
    rule: "privileged-action catalog: token issuance",
    why: "app.oauth2.as.token.grant.access_token is an OAuth token issued to a client: a sign-in step, not a privileged action; no governance check.",
    files: [
      oktaLog("okta-token", [
        oktaEvent({
          uuid,
          time: at(n, 10),
          eventType: "app.oauth2.as.token.grant.access_token",
          actor: "okta-token.actor@example.com",
          display: "OAuth2 access token is granted",
        }),
      ]),
    ],
    subject: uuid,
    expect: { status: "none" },
  });
}
{
  const n = ++day;
  const uuid = `${hexId("okta-rate").slice(0, 8)}-4444-4444-8444-${hexId("okta-rate").slice(8, 20)}`;
  cases.push({
    id: "okta-rate-limit-not-privileged",
    rule: "privileged-action catalog: rate-limit notice",
    why: "system.org.rate_limit.warning is a notice about API usage, not a privileged action; no governance check.",
    files: [
      oktaLog("okta-rate", [
        oktaEvent({
          uuid,
          time: at(n, 10),
          eventType: "system.org.rate_limit.warning",
          actor: "okta-rate.actor@example.com",
          display: "Rate limit warning",
        }),
      ]),
    ],
    subject: uuid,
    expect: { status: "none" },
  });
}
for (const withGrant of [true, false]) {
  const n = ++day;
  const id = withGrant ? "okta-admin-ok" : "okta-admin-no-grant";
  const actor = `${id}.actor@example.com`;
  const requester = snUser(`${id}.requester@example.com`);
  const approver = snUser(`${id}.approver@example.com`);
  const ticket = `CHG${String(7000000 + n)}`;
  const uuid = `${hexId(id).slice(0, 8)}-5555-4555-8555-${hexId(id).slice(8, 20)}`;
  const files: CaseFile[] = [
    oktaLog(id, [
      oktaEvent({
        uuid,
        time: at(n, 10),
        eventType: "user.account.privilege.grant",
        actor,
        target: "new.helpdesk@example.com",
        privilege: "Help Desk administrator",
      }),
    ]),
  ];
  if (withGrant)
    files.push(
      changes(id, [
        snChange({
          number: ticket,
          approval: "approved",
          approvalSet: at(n, 8),
          updated: at(n, 8, 1),
          requestedBy: requester,
          cmdbCi: "okta",
          targetResources: "new.helpdesk@example.com",
          short: "Make new.helpdesk a Help Desk administrator in Okta",
        }),
      ]),
      approvers(id, [snApprover({ number: ticket, approver, state: "approved", at: at(n, 8) })]),
      grants(id, [
        {
          grant_id: `gr-${id}`,
          principal: actor,
          privilege: "okta:admin roles",
          platform: "okta",
          granted_at: at(n, 9, 30),
          expires_at: at(n, 11),
          approved_by: approver.name,
          ticket,
        },
      ]),
    );
  cases.push({
    id,
    rule: withGrant ? "all rules pass (Okta)" : "standing_privilege: Okta admin-role grant without JIT",
    why: withGrant
      ? "user.account.privilege.grant (admin-role change) by a grantee with a JIT grant for okta admin roles, naming an approved change scoped to okta and the target user."
      : "The same admin-role grant by someone with no grant and no ticket: standing privilege (JIT required on Okta by default), and unapproved.",
    files,
    subject: uuid,
    expect: withGrant
      ? { status: "ok", approval: ticket, grant: `gr-${id}` }
      : { status: "standing_privilege", tolerate: ["unapproved"], approval: null, grant: null },
  });
}
{
  const n = ++day;
  const id = "github-workflow-run-delete";
  const actor = "gh-wf-deleter";
  const key = `SEC-${3000 + n}`;
  const docId = "GhWfRunDel0001xYz";
  cases.push({
    id,
    rule: "all rules pass (GitHub, Jira)",
    why: "workflows.delete_workflow_run (audit evidence destruction, privileged) on acme-corp/payments-api inside a grant naming an approved Jira issue whose components are github:acme-corp and acme-corp/payments-api.",
    files: [
      githubLog(id, [
        githubEvent({ id: docId, time: at(n, 10), action: "workflows.delete_workflow_run", actor, repo: "acme-corp/payments-api" }),
      ]),
      jiraIssue({
        key,
        status: "Approved",
        reporter: `${id}.requester@example.com`,
        summary: "Delete the leaked-secret workflow run on payments-api",
        components: ["github:acme-corp", "acme-corp/payments-api"],
        created: at(n, 7),
        updated: at(n, 8),
        moves: [
          { at: at(n, 7, 5), author: `${id}.requester@example.com`, from: "Open", to: "Waiting for approval" },
          { at: at(n, 8), author: `${id}.approver@example.com`, from: "Waiting for approval", to: "Approved" },
        ],
      }),
      grants(id, [
        {
          grant_id: `gr-${id}`,
          principal: actor,
          privilege: "github:repo admin",
          platform: "github:acme-corp",
          granted_at: at(n, 9, 30),
          expires_at: at(n, 11),
          approved_by: `${id}.approver@example.com`,
          ticket: key,
        },
      ]),
    ],
    subject: docId,
    expect: { status: "ok", approval: key, grant: `gr-${id}` },
  });
}

// ---- added after the first run (Phase 3), still from the issue's rules, not from the matcher's output
snAwsCase({
  id: "sn-rejected-no-grant",
  rule: "ticket_rejected (ticket found through the person it names)",
  why: "A rejected change assigned to the actor, no grant: the ticket state rule itself fails (ticket_rejected), besides the missing JIT grant.",
  status: "ticket_rejected",
  tolerate: ["standing_privilege"],
  change: { approval: "rejected", approvalSet: null },
  approverState: "rejected",
  noGrant: true,
});
snAwsCase({
  id: "sn-pending-no-grant",
  rule: "unapproved (ticket found through the person it names)",
  why: "A change still waiting for approval (approval requested), assigned to the actor, no grant: unapproved.",
  status: "unapproved",
  tolerate: ["standing_privilege"],
  change: { approval: "requested", approvalSet: null, state: { value: "-4", display: "Assess" } },
  approverState: "requested",
  noGrant: true,
});
snAwsCase({
  id: "unscoped-no-grant",
  rule: "approval_unscoped (ticket found through the person it names)",
  why: "An approved change assigned to the actor whose only mention of AWS and the bucket is free text: approval_unscoped, not ok.",
  status: "approval_unscoped",
  tolerate: ["standing_privilege"],
  change: {
    cmdbCi: undefined,
    targetResources: undefined,
    short: "Disable access logging on acme-payments-logs in AWS account 111122223333",
  },
  noGrant: true,
});
{
  const n = ++day;
  const id = "github-platform-only";
  const actor = "gh-platform-only";
  const key = `SEC-${3000 + n}`;
  const docId = "GhWfRunDel0002pLt";
  cases.push({
    id,
    rule: "grant_ticket_invalid: a GitHub ticket naming only the organisation (the tenant) is unscoped",
    why: "The Jira issue's only component is github:acme-corp: that names the platform and the tenant the action ran in, not the repository or category acted on. The org is where every GitHub event happens; it must not count as the object.",
    files: [
      githubLog(id, [
        githubEvent({ id: docId, time: at(n, 10), action: "workflows.delete_workflow_run", actor, repo: "acme-corp/payments-api" }),
      ]),
      jiraIssue({
        key,
        status: "Approved",
        reporter: `${id}.requester@example.com`,
        summary: "Delete the leaked-secret workflow run on payments-api",
        components: ["github:acme-corp"],
        created: at(n, 7),
        updated: at(n, 8),
        moves: [
          { at: at(n, 7, 5), author: `${id}.requester@example.com`, from: "Open", to: "Waiting for approval" },
          { at: at(n, 8), author: `${id}.approver@example.com`, from: "Waiting for approval", to: "Approved" },
        ],
      }),
      grants(id, [
        {
          grant_id: `gr-${id}`,
          principal: actor,
          privilege: "github:repo admin",
          platform: "github:acme-corp",
          granted_at: at(n, 9, 30),
          expires_at: at(n, 11),
          approved_by: `${id}.approver@example.com`,
          ticket: key,
        },
      ]),
    ],
    subject: docId,
    expect: { status: "grant_ticket_invalid", reason: ["not what was acted on"], approval: key, grant: `gr-${id}` },
  });
}

export const INDEPENDENT_CASES: readonly IndependentCase[] = cases;
