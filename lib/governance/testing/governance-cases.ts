import type { CheckStatus, FailingStatus } from "../types";

// The governance edge cases as vendor records: every case is one person (or a few) with their CloudTrail or GitHub
// actions, PAM grants, ServiceNow change requests and approver records, or Jira issues, and the status and reason
// its subject action must get. The same files are ingested through lib/ (governance-cases.db.test.ts) and through
// the CLI (lib/cli/commands/governance.db.test.ts), so both paths are held to one table. Times are minutes from T;
// the settings are SETTINGS below (defaults, except three actions per ticket and no JIT grants required on GitHub).

export const T = Date.parse("2026-11-20T10:00:00Z");
const DOMAIN = "cases.example";
export const SETTINGS = { maxActionsPerTicket: 3, jitRequired: { github: false } };

const at = (min: number) => new Date(T + min * 60_000).toISOString().replace(".000Z", "Z");
const snAt = (min: number) => at(min).replace("T", " ").replace("Z", "");
export const email = (who: string) => `${who}@${DOMAIN}`;
const ACCOUNT = "111122223333";
const SSO_ISSUER = `arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Ops_0a1b2c3d4e5f6a7b`;
const ROLE_ISSUER = `arn:aws:iam::${ACCOUNT}:role/payments-deployer`;

type Identity = {
  type?: "AssumedRole" | "FederatedUser" | "IAMUser";
  /** The role session name (or user name): the case's person unless a spoof names someone else. */
  name?: string;
  /** The session issuer: Identity Center's reserved role (default) or a plain role. */
  issuer?: "sso" | "role";
  sourceIdentity?: string;
};

/** One CloudTrail call; `id` becomes its eventID (the case's subject is found by it). */
export function trail(
  id: string,
  who: string,
  min: number,
  o: Identity & { eventName?: string; roleName?: string; source?: string; readOnly?: boolean } = {},
) {
  const name = o.name ?? email(who);
  const type = o.type ?? "AssumedRole";
  const issuerArn = o.issuer === "role" ? ROLE_ISSUER : SSO_ISSUER;
  const issuerName = issuerArn.split("/").pop()!;
  const userIdentity =
    type === "IAMUser"
      ? { type, principalId: `AIDA${who.toUpperCase()}`, arn: `arn:aws:iam::${ACCOUNT}:user/${name}`, accountId: ACCOUNT, userName: name }
      : type === "FederatedUser"
        ? {
            type,
            principalId: `${ACCOUNT}:${name}`,
            arn: `arn:aws:sts::${ACCOUNT}:federated-user/${name}`,
            accountId: ACCOUNT,
            accessKeyId: `ASIA${who.toUpperCase().padEnd(16, "F")}`,
            sessionContext: {
              sessionIssuer: {
                type: "IAMUser",
                principalId: "AIDAFED",
                arn: `arn:aws:iam::${ACCOUNT}:user/broker`,
                accountId: ACCOUNT,
                userName: "broker",
              },
              attributes: { creationDate: at(-60), mfaAuthenticated: "false" },
            },
          }
        : {
            type,
            principalId: `AROA${issuerName.slice(0, 8).toUpperCase()}:${name}`,
            arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${issuerName}/${name}`,
            accountId: ACCOUNT,
            accessKeyId: `ASIA${who.toUpperCase().padEnd(16, "X")}`,
            sessionContext: {
              sessionIssuer: { type: "Role", principalId: "AROAISSUER", arn: issuerArn, accountId: ACCOUNT, userName: issuerName },
              attributes: { creationDate: at(-60), mfaAuthenticated: "true" },
              ...(o.sourceIdentity ? { sourceIdentity: o.sourceIdentity } : {}),
            },
          };
  return {
    eventVersion: "1.09",
    userIdentity,
    eventTime: at(min),
    eventSource: o.source ?? "iam.amazonaws.com",
    eventName: o.eventName ?? "AttachRolePolicy",
    awsRegion: "eu-west-1",
    sourceIPAddress: "203.0.113.10",
    userAgent: "aws-cli/2.22.4",
    requestParameters: { roleName: o.roleName ?? "payments-deployer", policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" },
    responseElements: null,
    requestID: `req-${id}`,
    eventID: id,
    readOnly: o.readOnly ?? false,
    eventType: "AwsApiCall",
    managementEvent: true,
    recipientAccountId: ACCOUNT,
    eventCategory: "Management",
  };
}

/** A GitHub audit-log entry (GitHub needs no JIT grant under SETTINGS). */
function gh(id: string, who: string, min: number) {
  return {
    "@timestamp": T + min * 60_000,
    _document_id: id,
    action: "protected_branch.destroy",
    actor: `${who}-gh`,
    actor_id: 7000 + Number(who.replace(/\D/g, "")),
    org: "acme",
    repo: "acme/payments",
    branch: "main",
    operation_type: "remove",
  };
}

type Grant = { from?: number; to?: number | null; revoked?: number; privilege?: string; ticket?: string | null };
function grant(who: string, g: Grant = {}) {
  return {
    grant_id: `gr-${who}`,
    principal: email(who),
    principal_type: "human",
    privilege: g.privilege ?? "IAMFullAccess",
    platform: `aws:${ACCOUNT}`,
    granted_at: at(g.from ?? 0),
    expires_at: g.to === null ? null : at(g.to ?? 60),
    revoked_at: g.revoked === undefined ? null : at(g.revoked),
    approved_by: email("pam-lead"),
    ticket: g.ticket === undefined ? null : g.ticket,
    justification: "case",
  };
}

type Change = {
  approval?: string;
  /** change_request.state: a raw value ("-1" Implement, "4" Canceled) or a display value. */
  state?: string | { display_value: string; value: string };
  approvedAt?: number | null;
  start?: number | null;
  end?: number | null;
  requester?: string;
  /** Whom the ticket is assigned to (a linked identity); the case's person by default. */
  assignee?: string;
  /** Configuration item and object names (cmdb_ci, u_resources). */
  ci?: string | null;
  items?: string[];
  description?: string;
  /** Approver records (sysapproval_approver): display names; none = the approver is not recorded. */
  approvers?: string[];
};

const DEFAULT_ITEMS = ["payments-deployer", "IAMFullAccess"];

function change(number: string, who: string, c: Change = {}) {
  const approval = c.approval ?? "approved";
  const sysId = number.replace(/\D/g, "").padStart(32, "c");
  return {
    sys_id: sysId,
    number,
    sys_class_name: "change_request",
    short_description: c.description ?? `Change ${number}`,
    type: "normal",
    state: c.state ?? "-1",
    approval,
    approval_set: c.approvedAt === null ? "" : snAt(c.approvedAt ?? -60),
    requested_by: { display_value: c.requester ?? email(who), value: `${who}`.padEnd(32, "0") },
    assigned_to: { display_value: c.assignee ?? email(who), value: `${who}`.padEnd(32, "1") },
    ...(c.ci === null ? {} : { cmdb_ci: { display_value: c.ci ?? `AWS production account ${ACCOUNT}`, value: "c1".padEnd(32, "2") } }),
    ...((c.items ?? DEFAULT_ITEMS).length ? { u_resources: (c.items ?? DEFAULT_ITEMS).join(", ") } : {}),
    start_date: c.start === null ? "" : snAt(c.start ?? -30),
    end_date: c.end === null ? "" : snAt(c.end ?? 120),
    sys_updated_on: snAt(-90),
  };
}

function approverRecord(number: string, approver: string, i: number) {
  return {
    sys_id: `${number.replace(/\D/g, "")}${i}`.padStart(32, "a"),
    approver: { display_value: approver, value: approver.replace(/\W/g, "").padEnd(32, "9").slice(0, 32) },
    sysapproval: { display_value: number, value: number.replace(/\D/g, "").padStart(32, "c") },
    source_table: "change_request",
    state: "approved",
    sys_created_on: snAt(-100),
    sys_updated_on: snAt(-61),
  };
}

/** A Jira change issue whose status history moves it to Approved (author: `approver`) at `approvedAt`. */
function jiraIssue(key: string, who: string, o: { approver: string; approvedAt: number; status?: string; components?: string[] }) {
  const person = (addr: string) => ({ accountId: `acc-${addr}`, emailAddress: addr, displayName: addr, accountType: "atlassian" });
  return {
    id: key.replace(/\D/g, ""),
    key,
    fields: {
      summary: `Change ${key}`,
      issuetype: { id: "10100", name: "Change" },
      project: { id: "10020", key: "CHG", name: "Changes" },
      status: { id: "1", name: o.status ?? "Approved", statusCategory: { key: "indeterminate" } },
      created: at(-200).replace("Z", ".000+0000"),
      updated: at(-50).replace("Z", ".000+0000"),
      reporter: person(email(who)),
      assignee: person(email(who)),
      components: (o.components ?? ["AWS", "payments-deployer"]).map((name, i) => ({ id: String(100 + i), name })),
    },
    changelog: {
      histories: [
        {
          id: "1",
          author: person(o.approver),
          created: at(o.approvedAt).replace("Z", ".000+0000"),
          items: [{ field: "status", fieldtype: "jira", fromString: "Awaiting approval", toString: o.status ?? "Approved" }],
        },
      ],
    },
  };
}

type Expect = { status: CheckStatus; also?: FailingStatus[]; reason: RegExp };
export type GovernanceCase = {
  id: string;
  title: string;
  /** The event ids (CloudTrail eventID, GitHub _document_id) of the case's subject action. */
  subject: string;
  expect: Expect;
};

export type CaseFiles = { name: string; body: unknown }[];

/** Builds every case's records into the files to ingest, and the expectations. */
export function governanceCases(): { files: CaseFiles; cases: GovernanceCase[] } {
  const cloudtrail: unknown[] = [];
  const github: unknown[] = [];
  const grants: unknown[] = [];
  const changes: unknown[] = [];
  const approvers: unknown[] = [];
  const issues: unknown[] = [];
  const cases: GovernanceCase[] = [];
  let n = 0;

  /** A case whose subject is one AttachRolePolicy at `min` (default 30) by `who`, with the given feeds. */
  function add(
    title: string,
    expect: Expect,
    setup: {
      min?: number;
      call?: Identity & { roleName?: string };
      grant?: Grant | false;
      change?: Change | false;
      jira?: { approver: string; approvedAt: number; status?: string; components?: string[] };
      extra?: (who: string) => void;
    } = {},
  ) {
    const who = `c${String(++n).padStart(2, "0")}`;
    const id = `evt-${who}`;
    cloudtrail.push(trail(id, who, setup.min ?? 30, setup.call ?? {}));
    if (setup.grant !== false) grants.push(grant(who, setup.grant ?? {}));
    if (setup.change !== false && !setup.jira) {
      const chg = `CHG09${who.slice(1).padStart(5, "0")}`;
      changes.push(change(chg, who, setup.change ?? {}));
      (setup.change && setup.change.approvers ? setup.change.approvers : [email("cab-lead")]).forEach((a, i) =>
        approvers.push(approverRecord(chg, a, i)),
      );
    }
    if (setup.jira) issues.push(jiraIssue(`CHG-${who.slice(1)}`, who, setup.jira));
    setup.extra?.(who);
    cases.push({ id: who, title, subject: id, expect });
    return who;
  }
  const chgOf = (who: string) => `CHG09${who.slice(1).padStart(5, "0")}`;

  // ---- the baseline and identity proof
  add("approved, in scope, inside its JIT grant: ok", { status: "ok", reason: /approved by cab-lead@cases\.example.*inside grant gr-c01/ });
  add(
    "role session name spoofing: another person's address as the session name of a plain role",
    { status: "identity_unproven", reason: /named only by the session name the caller chose .*"c02@cases\.example"; no sourceIdentity/ },
    { call: { issuer: "role" } },
  );
  add(
    "a plain role with sourceIdentity: the person is proven",
    { status: "ok", reason: /sourceIdentity "c03@cases\.example" names the person/ },
    { call: { issuer: "role", sourceIdentity: email("c03") } },
  );
  add(
    "a spoofed session name with the attacker's sourceIdentity: matched as the attacker, who has no ticket or grant",
    { status: "unapproved", also: ["standing_privilege"], reason: /no approval ticket names the actor/ },
    { call: { issuer: "role", name: email("c04"), sourceIdentity: email("intruder") } },
  );
  add(
    "a federated user's name is chosen by the caller too",
    { status: "identity_unproven", reason: /named only by the session name the caller chose/ },
    { call: { type: "FederatedUser" } },
  );
  add(
    "an IAM user is named by AWS itself: proven",
    { status: "ok", reason: /the aws-cloudtrail record names the actor/ },
    {
      call: { type: "IAMUser" },
    },
  );

  // ---- ticket state (the grant names no ticket, so the actor's own tickets are matched)
  add(
    "rejected ticket",
    { status: "ticket_rejected", reason: /CHG0900007 was rejected or called off \(state rejected\)/ },
    {
      change: { approval: "rejected" },
    },
  );
  add(
    "approved, but the change was cancelled (state 4): ServiceNow state and approval are both read",
    {
      status: "ticket_rejected",
      reason: /CHG0900008 was rejected or called off \(state Canceled\)/,
    },
    { change: { state: "4" } },
  );
  add(
    "withdrawn Jira change",
    { status: "ticket_rejected", reason: /CHG-09 was rejected or called off \(state Withdrawn\)/ },
    {
      change: false,
      jira: { approver: email("cab-lead"), approvedAt: -60, status: "Withdrawn" },
    },
  );
  add(
    "approved, but closed incomplete",
    { status: "ticket_rejected", reason: /called off \(state Closed Incomplete\)/ },
    {
      change: { state: { display_value: "Closed Incomplete", value: "4" } },
    },
  );
  add(
    "approval still requested",
    { status: "unapproved", reason: /CHG0900011 records no approval \(state requested\)/ },
    {
      change: { approval: "requested", approvedAt: null },
    },
  );
  add("no ticket at all", { status: "unapproved", reason: /no approval ticket names the actor/ }, { change: false });

  // ---- scope
  add(
    "a ticket naming nothing",
    { status: "approval_unscoped", reason: /names no configuration item or object/ },
    {
      change: { ci: null, items: [] },
    },
  );
  add(
    "a ticket naming the platform only",
    { status: "approval_unscoped", reason: /names aws-cloudtrail .* but not what was acted on/ },
    {
      change: { items: [] },
    },
  );
  add(
    "a ticket for another platform",
    { status: "unapproved", reason: /names only Salesforce production, not aws-cloudtrail/ },
    {
      change: { ci: "Salesforce production", items: [] },
    },
  );
  add(
    "free text naming the object does not count",
    { status: "approval_unscoped", reason: /names no configuration item or object \(its free text does not count\)/ },
    { change: { ci: null, items: [], description: "Attach ReadOnlyAccess to payments-deployer in AWS account 111122223333" } },
  );
  add(
    "the privileged category named instead of the object",
    { status: "ok", reason: /what was acted on \("Admin role change"\)/ },
    {
      change: { items: ["Admin role change"] },
      grant: { ticket: null },
    },
  );
  add(
    "the object named by its ARN",
    { status: "ok", reason: /"arn:aws:iam::111122223333:role\/payments-deployer"/ },
    {
      change: { items: [`arn:aws:iam::${ACCOUNT}:role/payments-deployer`] },
    },
  );
  add(
    "a longer name containing the object's is another object",
    { status: "approval_unscoped", reason: /but not what was acted on/ },
    { change: { items: ["payments-deployer-legacy"] } },
  );

  // ---- when the ticket was approved
  add(
    "approved 10 minutes after the action",
    { status: "approved_after_action", reason: /ran 10 min before CHG0900020 was approved/ },
    {
      change: { approvedAt: 40 },
    },
  );
  add(
    "approved 60 s after the action: within the clock-skew tolerance",
    { status: "ok", reason: /approved 60 s after the action, within the 120 s/ },
    {
      change: { approvedAt: 31 },
    },
  );
  add(
    "approved 3 minutes after the action: beyond the tolerance",
    { status: "approved_after_action", reason: /ran 3 min before CHG0900022 was approved/ },
    {
      change: { approvedAt: 33 },
    },
  );
  add(
    "approved, with no approval time recorded (neither the change nor an approver record)",
    { status: "approved_after_action", also: ["approver_unknown"], reason: /records no approval time/ },
    { change: { approvedAt: null, approvers: [] } },
  );

  // ---- how long the approval authorizes
  add(
    "10 minutes after the planned window ended",
    { status: "approval_expired", reason: /ran 10 min after CHG0900024 stopped authorizing: its planned window/ },
    {
      change: { end: 20 },
    },
  );
  add(
    "60 s after the planned window ended: within the tolerance",
    { status: "ok", reason: /60 s outside its planned window .* within the 120 s/ },
    {
      min: 20 + 1,
      change: { end: 20 },
      grant: { to: 60 },
    },
  );
  add(
    "3 minutes after the planned window ended",
    { status: "approval_expired", reason: /ran 3 min after CHG0900026 stopped authorizing/ },
    {
      min: 23,
      change: { end: 20 },
    },
  );
  add(
    "10 minutes before the planned window opened",
    { status: "approval_not_yet_valid", reason: /ran 10 min before CHG0900027's planned window opened/ },
    {
      change: { start: 40 },
    },
  );
  add(
    "60 s before the planned window opened: within the tolerance",
    { status: "ok", reason: /60 s outside its planned window/ },
    {
      min: 39,
      change: { start: 40 },
    },
  );
  add(
    "no planned window, approved 23 hours before: still valid (24 h)",
    { status: "ok", reason: /inside 24 h after approval \(setting\)/ },
    {
      change: { start: null, end: null, approvedAt: 30 - 23 * 60 },
      grant: { ticket: null },
    },
  );
  add(
    "no planned window, approved 25 hours before: expired",
    { status: "approval_expired", reason: /ran 60 min after CHG0900030 stopped authorizing: 24 h after approval/ },
    {
      change: { start: null, end: null, approvedAt: 30 - 25 * 60 },
    },
  );

  // ---- separation of duties
  add(
    "approved by the actor",
    { status: "self_approved", reason: /approved by c31@cases\.example, who is the actor/ },
    {
      change: { approvers: [email("c31")] },
    },
  );
  add(
    "approved by its own requester",
    { status: "self_approved", reason: /approved by its own requester, req32@cases\.example/ },
    {
      change: { requester: email("req32"), approvers: [email("req32")] },
    },
  );
  add(
    "a requester moving their own Jira issue to Approved",
    { status: "self_approved", reason: /CHG-33 was approved by c33@cases\.example, who is the actor/ },
    {
      change: false,
      jira: { approver: email("c33"), approvedAt: -60 },
    },
  );
  add(
    "a Jira change approved by someone else",
    { status: "ok", reason: /jira CHG-34 is approved/ },
    {
      change: false,
      jira: { approver: email("cab-lead"), approvedAt: -60 },
    },
  );
  add(
    "no approver recorded",
    { status: "approver_unknown", reason: /records no approver, so separation of duties cannot be checked/ },
    {
      change: { approvers: [] },
    },
  );

  // ---- JIT grants
  add(
    "no grant where the platform requires JIT",
    { status: "standing_privilege", reason: /no JIT grant for the actor on aws-cloudtrail, and aws-cloudtrail requires one/ },
    {
      grant: false,
    },
  );
  add(
    "an open-ended grant",
    { status: "standing_privilege", reason: /grant gr-c37 .* has no end: standing privilege/ },
    { grant: { to: null } },
  );
  add(
    "60 s after the grant ended: within the tolerance",
    { status: "ok", reason: /60 s after it ended, within the 120 s clock-skew tolerance/ },
    {
      min: 61,
    },
  );
  add(
    "3 minutes after the grant ended",
    { status: "outside_window", reason: /3 min after it ended \(beyond the 120 s clock-skew tolerance\)/ },
    {
      min: 63,
    },
  );
  add(
    "60 s before the grant took effect: within the tolerance",
    { status: "ok", reason: /60 s before it took effect, within the 120 s/ },
    {
      grant: { from: 31 },
    },
  );
  add(
    "10 minutes before the grant took effect",
    { status: "outside_window", reason: /10 min before it took effect/ },
    {
      grant: { from: 40, to: 100 },
    },
  );
  add(
    "after the grant was revoked",
    { status: "outside_window", reason: /after it was revoked at 2026-11-20 10:20:00Z/ },
    {
      grant: { revoked: 20, to: 120 },
    },
  );
  add(
    "a grant broader than the action needed",
    { status: "over_broad_grant", reason: /grant "AdministratorAccess" is broader than the action needs \("iam:AttachRolePolicy"\)/ },
    {
      grant: { privilege: "AdministratorAccess" },
      change: { items: ["payments-deployer", "AdministratorAccess"] },
    },
  );

  // ---- a grant that names its ticket
  add(
    "the grant names a ticket for another system; the actor's other ticket does not rescue it",
    {
      status: "grant_ticket_invalid",
      reason: /grant gr-c44 names ticket CHG0900044: .*names only Salesforce production.*another ticket does not stand in/,
    },
    {
      change: { ci: "Salesforce production", items: [] },
      extra: (who) => {
        grants.pop();
        grants.push(grant(who, { ticket: chgOf(who) }));
        changes.push(change("CHG0999044", who, {}));
        approvers.push(approverRecord("CHG0999044", email("cab-lead"), 0));
      },
    },
  );
  add(
    "the grant names a ticket missing from the feeds",
    { status: "grant_ticket_invalid", reason: /names ticket CHG-MISSING-45, which is not in the approval feeds/ },
    {
      grant: { ticket: "CHG-MISSING-45" },
    },
  );
  add(
    "the grant names a rejected ticket",
    { status: "grant_ticket_invalid", reason: /names ticket CHG0900046: .*rejected or called off/ },
    {
      change: { approval: "rejected" },
      extra: (who) => {
        grants.pop();
        grants.push(grant(who, { ticket: chgOf(who) }));
      },
    },
  );
  add(
    "the grant names its approved, in-scope ticket: ok",
    { status: "ok", reason: /grant gr-c47 names ticket CHG0900047, approved and in scope/ },
    {
      extra: (who) => {
        grants.pop();
        grants.push(grant(who, { ticket: chgOf(who) }));
      },
    },
  );

  // ---- ticket reuse (GitHub: no JIT grant required there under SETTINGS)
  {
    const who = `c${String(++n).padStart(2, "0")}`;
    for (let i = 1; i <= 4; i++) github.push(gh(`gh-${who}-${i}`, who, 10 * i));
    changes.push(
      change(chgOf(who), who, {
        ci: "GitHub organization acme",
        items: ["acme/payments"],
        requester: email(`${who}-req`),
        assignee: `${who}-gh`,
      }),
    );
    approvers.push(approverRecord(chgOf(who), email("cab-lead"), 0));
    cases.push({
      id: `${who}-1`,
      title: "the first use of a ticket, on a platform that needs no JIT grant",
      subject: `gh-${who}-1`,
      expect: { status: "ok", reason: /action 1 of 4 citing CHG0900048.*github does not require JIT grants \(setting\)/ },
    });
    cases.push({
      id: `${who}-4`,
      title: "a ticket used for more actions than the maximum",
      subject: `gh-${who}-4`,
      expect: {
        status: "ticket_overused",
        reason: /CHG0900048 is cited by 4 privileged actions, more than the maximum of 3 per ticket \(setting\); this is action 4/,
      },
    });
  }

  return {
    files: [
      { name: `${ACCOUNT}_CloudTrail_eu-west-1_20261120T1000Z_Cases00000000001.json`, body: { Records: cloudtrail } },
      { name: "github-audit-log-cases.json", body: github },
      { name: "sessionproof-grants-cases.json", body: grants },
      { name: "change_request-cases.json", body: { result: changes } },
      { name: "sysapproval_approver-cases.json", body: { result: approvers } },
      { name: "jira-issues-cases.json", body: { issues } },
    ],
    cases,
  };
}
