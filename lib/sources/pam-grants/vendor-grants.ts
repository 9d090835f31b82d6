import type { ActorKind, EventResource, NormalizedEvent } from "@/lib/events/schema";
import { NormalizeError } from "../types";
import { at, field, isRec, keyText, recAt, text, type Rec } from "../util/fields";
import { plainDynamoRecord } from "../util/dynamodb-json";
import { tryParseTime, tryParseUsTime } from "../util/time";
import { grantEvent } from "./grant-event";

// JIT grant exports of the tools that grant them, read as the grants they record (the same events as the
// Sessionproof grant format, so lib/governance checks them alike):
//
// Microsoft Entra PIM, from Microsoft Graph (roleManagement/directory):
//  - unifiedRoleAssignmentScheduleRequest (GET /roleManagement/directory/roleAssignmentScheduleRequests, optionally
//    $expand=principal,roleDefinition): id, action (selfActivate, adminAssign, adminExtend, selfExtend, adminRenew,
//    selfRenew, adminUpdate, selfDeactivate, adminRemove), status (Provisioned, Granted, PendingApproval,
//    PendingProvisioning, Denied, Canceled, Revoked, Failed…), principalId, roleDefinitionId, directoryScopeId,
//    justification, scheduleInfo {startDateTime, expiration {type, endDateTime, duration}}, ticketInfo {ticketNumber,
//    ticketSystem}, approvalId, createdBy, createdDateTime, completedDateTime, targetScheduleId.
//    https://learn.microsoft.com/en-us/graph/api/resources/unifiedroleassignmentschedulerequest
//  - unifiedRoleAssignmentScheduleInstance (GET /roleManagement/directory/roleAssignmentScheduleInstances): id,
//    principalId, roleDefinitionId, directoryScopeId, startDateTime, endDateTime, assignmentType (Assigned |
//    Activated), memberType, roleAssignmentOriginId, roleAssignmentScheduleId.
//    https://learn.microsoft.com/en-us/graph/api/resources/unifiedroleassignmentscheduleinstance
//
// Microsoft Entra PIM from the admin center: Privileged Identity Management > Microsoft Entra roles > Assignments (or
// Roles) > Export, a CSV with the columns Assignment State (Eligible | Active), User Group Name, Role Name,
// PrincipalName, Member Type (Direct | Inherited), Assignment Start Time (UTC), Assignment End Time (UTC).
// https://techpress.net/export-entra-id-pim-role-assignments-report-to-csv (the export's columns, listed) and
// https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/pim-how-to-add-role-to-user
// (eligible vs active assignments: an eligible one grants nothing until it is activated).
//
// AWS TEAM (Temporary Elevated Access Management for IAM Identity Center), its requests table as exported (the app's
// listRequests items, the DynamoDB table as DynamoDB JSON: `aws dynamodb scan` Items or an S3 export's {"Item"} lines,
// or CSV with the same columns): id, email, username, accountId,
// accountName, role, roleId (permission set ARN), startTime, duration (hours), endTime, justification, ticketNo, status
// (pending, approved, rejected, cancelled, expired, scheduled, in progress, ended, revoked, error), approver,
// approverId, revoker, revokerId, revokeComment, createdAt, updatedAt.
// https://aws-samples.github.io/iam-identity-center-team/ and the app's schema (src/models/schema.js, requests model).

const ENTRA_PIM = "entra.pim";
const AWS_TEAM = "aws.team";

function time(r: Rec, ...path: string[]): Date | null {
  const v = at(r, ...path);
  if (v === undefined || v === null || v === "") return null;
  const d = tryParseTime(v) ?? tryParseUsTime(v); // the admin center's CSV writes en-US times ("3/4/2025 8:05:13 AM")
  if (!d) throw new NormalizeError(`not a valid grant: ${path.join(".")} is not a readable time (${JSON.stringify(v).slice(0, 60)})`);
  return d;
}

/** An ISO 8601 duration of days/hours/minutes/seconds ("PT8H", "P1DT2H30M") in milliseconds; null when not one. */
export function isoDurationMs(s: string | null): number | null {
  const m = s ? /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(s) : null;
  if (!m || s === "P" || s === "PT") return null;
  return ((Number(m[1] ?? 0) * 24 + Number(m[2] ?? 0)) * 60 + Number(m[3] ?? 0)) * 60_000 + Number(m[4] ?? 0) * 1000;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

// --- Entra PIM --------------------------------------------------------------------------------------------------

export function isPimScheduleRequest(r: Rec): boolean {
  return (
    typeof field(r, "action") === "string" &&
    field(r, "roleDefinitionId") !== undefined &&
    field(r, "principalId") !== undefined &&
    isRec(field(r, "scheduleInfo"))
  );
}
export function isPimScheduleInstance(r: Rec): boolean {
  return (
    field(r, "roleDefinitionId") !== undefined &&
    field(r, "principalId") !== undefined &&
    field(r, "assignmentType") !== undefined &&
    field(r, "startDateTime") !== undefined
  );
}

const ADDING = /^(selfActivate|adminAssign|adminExtend|selfExtend|adminRenew|selfRenew|adminUpdate|selfUpdate)$/i;
const REMOVING = /^(selfDeactivate|adminRemove)$/i;
const IN_FORCE = /^(Provisioned|Granted|ScheduleCreated)$/i;
const PENDING =
  /^(PendingApproval|PendingApprovalProvisioning|PendingAdminDecision|PendingProvisioning|PendingScheduleCreation|Scheduled)$/i;

/** The principal and role names from an $expand, else the ids. */
function pimNames(r: Rec): {
  principal: string;
  principalId: string | null;
  kind: ActorKind;
  type: string | null;
  role: string | null;
  roleId: string | null;
} {
  const principalId = keyText(field(r, "principalId"));
  const p = recAt(r, "principal");
  const odataType = text(field(p, "@odata.type"));
  const upn = keyText(field(p, "userPrincipalName"));
  const kind: ActorKind = /servicePrincipal/i.test(odataType ?? "")
    ? "workload"
    : /group/i.test(odataType ?? "")
      ? "unknown"
      : upn || /user/i.test(odataType ?? "")
        ? "human"
        : "unknown";
  return {
    principal: upn ?? text(field(p, "displayName")) ?? principalId ?? "",
    principalId,
    kind,
    type: odataType ? odataType.replace(/^#microsoft\.graph\./, "") : null,
    role: text(at(r, "roleDefinition", "displayName")),
    roleId: keyText(field(r, "roleDefinitionId")),
  };
}

function pimResources(n: ReturnType<typeof pimNames>, scope: string | null): EventResource[] {
  const out: EventResource[] = [{ type: "entra.role", id: n.roleId, name: n.role }];
  if (scope) out.push({ type: "entra.directory_scope", id: scope, name: null });
  return out;
}

function normalizePimRequest(r: Rec): NormalizedEvent {
  const action = text(field(r, "action")) ?? "";
  const status = text(field(r, "status")) ?? "";
  const n = pimNames(r);
  if (!n.principal || !(n.role ?? n.roleId)) throw new NormalizeError("not a valid PIM request: principalId or roleDefinitionId is empty");
  const created = time(r, "createdDateTime");
  const completed = time(r, "completedDateTime");
  const start = time(r, "scheduleInfo", "startDateTime") ?? completed ?? created;
  if (!start) throw new NormalizeError("not a valid PIM request: no scheduleInfo.startDateTime, completedDateTime or createdDateTime");
  const expType = text(at(r, "scheduleInfo", "expiration", "type"));
  const duration = isoDurationMs(text(at(r, "scheduleInfo", "expiration", "duration")));
  const end =
    time(r, "scheduleInfo", "expiration", "endDateTime") ??
    (duration !== null && expType !== "noExpiration" ? new Date(start.getTime() + duration) : null);
  const removing = REMOVING.test(action);
  const stage = removing
    ? IN_FORCE.test(status) || /^Revoked$/i.test(status)
      ? "removed"
      : "other"
    : ADDING.test(action) && IN_FORCE.test(status)
      ? "completed"
      : PENDING.test(status)
        ? "requested"
        : "other";
  const removedAt = stage === "removed" ? (completed ?? created ?? start) : null;
  const requestedBy = recAt(r, "createdBy");
  const ticket = keyText(at(r, "ticketInfo", "ticketNumber"));
  const scheduleId = keyText(field(r, "targetScheduleId"));
  return grantEvent({
    jit: {
      provider: ENTRA_PIM,
      stage,
      assignment: /activate|deactivate/i.test(action) ? "PIM activation" : expType === "noExpiration" ? "permanent" : "timebound",
      role_id: n.roleId,
      role_name: n.role ?? n.roleId,
      principal_id: n.principalId,
      principal_name: n.principal,
      justification: text(field(r, "justification")),
      ticket,
      start_time: removing ? null : iso(start),
      end_time: removing ? null : iso(end),
      // A removal names the schedule it ends (targetScheduleId): the same id the activation's request created.
      request_id: scheduleId ?? keyText(field(r, "id")),
      target_platform: "entra",
      approved_by: null, // the request holds an approvalId, not the approver (the PIM audit history has it)
      // A removal carries none of the grant's details: it ends the grant of its schedule at the event's time
      // (lib/ingest/project-governance.ts sets that grant's revocation), rather than standing as a grant itself.
      revoked_time: null,
    },
    principal: { id: n.principalId, name: n.principal, kind: n.kind, type: n.type },
    time: removedAt ?? (stage === "completed" ? start : (created ?? start)),
    eventName: `roleAssignmentScheduleRequest ${action}`,
    keyType: "entra.pim.schedule",
    status: /^(Denied|Failed|Canceled)$/i.test(status) ? "failure" : "success",
    resources: pimResources(n, keyText(field(r, "directoryScopeId"))),
    correlationId: keyText(field(r, "id")),
    extra: {
      shape: "entra-pim-schedule-request",
      action,
      status,
      approvalId: keyText(field(r, "approvalId")),
      ticketSystem: text(at(r, "ticketInfo", "ticketSystem")),
      requested_by: keyText(at(requestedBy, "user", "id")) ?? keyText(at(requestedBy, "application", "id")),
    },
  });
}

function normalizePimInstance(r: Rec): NormalizedEvent {
  const n = pimNames(r);
  if (!n.principal || !(n.role ?? n.roleId)) throw new NormalizeError("not a valid PIM instance: principalId or roleDefinitionId is empty");
  const start = time(r, "startDateTime");
  if (!start) throw new NormalizeError("not a valid PIM instance: startDateTime is empty (a permanent assignment is not a JIT grant)");
  const end = time(r, "endDateTime");
  const assignmentType = text(field(r, "assignmentType"));
  const scheduleId = keyText(field(r, "roleAssignmentScheduleId")) ?? keyText(field(r, "roleAssignmentOriginId"));
  return grantEvent({
    jit: {
      provider: ENTRA_PIM,
      stage: "completed",
      assignment: /^Activated$/i.test(assignmentType ?? "") ? "PIM activation" : end ? "timebound" : "permanent",
      role_id: n.roleId,
      role_name: n.role ?? n.roleId,
      principal_id: n.principalId,
      principal_name: n.principal,
      justification: null,
      ticket: null,
      start_time: iso(start),
      end_time: iso(end),
      request_id: scheduleId ?? keyText(field(r, "id")),
      target_platform: "entra",
      approved_by: null,
      revoked_time: null,
    },
    principal: { id: n.principalId, name: n.principal, kind: n.kind, type: n.type },
    time: start,
    eventName: `roleAssignmentScheduleInstance ${assignmentType ?? ""}`.trim(),
    keyType: "entra.pim.schedule",
    resources: pimResources(n, keyText(field(r, "directoryScopeId"))),
    correlationId: keyText(field(r, "id")),
    extra: { shape: "entra-pim-schedule-instance", assignmentType, memberType: text(field(r, "memberType")) },
  });
}

// --- Entra PIM, the admin center's CSV export ----------------------------------------------------------------------

const PORTAL_STATE = "Assignment State";
const PORTAL_START = "Assignment Start Time (UTC)";
const PORTAL_END = "Assignment End Time (UTC)";

export function isPimPortalRow(r: Rec): boolean {
  return field(r, PORTAL_STATE) !== undefined && field(r, "Role Name") !== undefined && field(r, PORTAL_START) !== undefined;
}

// The admin center writes "Permanent" (or "-") for an assignment without an end, and "-" for no start.
const NO_TIME = /^(permanent|-|n\/a)$/i;
const portalTime = (r: Rec, name: string) => (NO_TIME.test(text(field(r, name)) ?? "") ? null : time(r, name));

function normalizePimPortalRow(r: Rec): NormalizedEvent {
  const state = text(field(r, PORTAL_STATE)) ?? "";
  const role = keyText(field(r, "Role Name"));
  const upn = keyText(field(r, "PrincipalName"));
  const display = keyText(field(r, "User Group Name"));
  const principal = upn ?? display;
  if (!principal || !role)
    throw new NormalizeError("not a valid PIM assignment row: PrincipalName / User Group Name or Role Name is empty");
  const active = /^active$/i.test(state);
  if (!active && !/^eligible$/i.test(state))
    throw new NormalizeError(`PIM assignment row with an unknown Assignment State ${JSON.stringify(state)}: expected Active or Eligible`);
  const start = portalTime(r, PORTAL_START);
  if (!start)
    throw new NormalizeError(`not a valid PIM assignment row: ${PORTAL_START} is empty (a permanent assignment is not a JIT grant)`);
  const end = portalTime(r, PORTAL_END);
  if (end && end.getTime() < start.getTime())
    throw new NormalizeError(`not a valid PIM assignment row: ${PORTAL_END} (${end.toISOString()}) is before ${PORTAL_START}`);
  // The export has no id: the assignment is keyed by who, what and from when, which is what makes it one grant.
  const key = `pim-export:${principal.toLowerCase()}|${role}|${start.toISOString()}`;
  const memberType = text(field(r, "Member Type"));
  return grantEvent({
    jit: {
      provider: ENTRA_PIM,
      // An eligible assignment grants nothing until activated (its activations are Active rows of their own).
      stage: active ? "completed" : "other",
      assignment: active ? (end ? "timebound" : "permanent") : "eligible",
      role_id: null,
      role_name: role,
      principal_id: null,
      principal_name: principal,
      justification: null,
      ticket: null,
      start_time: iso(start),
      end_time: iso(end),
      request_id: key,
      target_platform: "entra",
      approved_by: null,
      revoked_time: null,
    },
    // A UPN is a user's; a row with only a display name is a group's (or a service principal's): kind unknown.
    principal: { id: null, name: principal, kind: upn ? "human" : "unknown", type: upn ? "user" : null },
    time: start,
    eventName: `PIM ${active ? "active" : "eligible"} assignment`,
    keyType: "entra.pim.export",
    resources: [{ type: "entra.role", id: null, name: role }],
    correlationId: null,
    extra: { shape: "entra-pim-admin-center-csv", assignment_state: state, member_type: memberType, display_name: display },
  });
}

// --- AWS TEAM ---------------------------------------------------------------------------------------------------

export function isTeamRequest(r: Rec): boolean {
  return (
    field(r, "accountId") !== undefined &&
    field(r, "roleId") !== undefined &&
    field(r, "startTime") !== undefined &&
    field(r, "duration") !== undefined
  );
}

const TEAM_STAGE: Record<string, "completed" | "removed" | "requested" | "other"> = {
  "in progress": "completed",
  ended: "completed",
  revoked: "removed",
  pending: "requested",
  approved: "requested",
  scheduled: "requested",
  rejected: "other",
  cancelled: "other",
  canceled: "other",
  expired: "other", // a request nobody approved in time: no access was granted
  error: "other",
};

function normalizeTeamRequest(r: Rec): NormalizedEvent {
  const id = keyText(field(r, "id"));
  const principal = keyText(field(r, "email")) ?? keyText(field(r, "username"));
  const role = text(field(r, "role"));
  const roleId = keyText(field(r, "roleId"));
  const accountId = keyText(field(r, "accountId"));
  if (!principal || !(role ?? roleId) || !accountId)
    throw new NormalizeError("not a valid TEAM request: email/username, role or accountId is empty");
  const status = (text(field(r, "status")) ?? "").toLowerCase();
  const stage = TEAM_STAGE[status];
  if (!stage)
    throw new NormalizeError(
      `TEAM request with an unknown status ${JSON.stringify(status)}: expected ${Object.keys(TEAM_STAGE).join(", ")}`,
    );
  const start = time(r, "startTime");
  if (!start) throw new NormalizeError("not a valid TEAM request: startTime is empty");
  const hours = Number(text(field(r, "duration")));
  const planned = Number.isFinite(hours) && hours > 0 ? new Date(start.getTime() + hours * 3_600_000) : null;
  const endTime = time(r, "endTime");
  const updated = time(r, "updatedAt");
  // A revoked grant ended when it was revoked (endTime when TEAM recorded it, else the record's last update).
  const revokedAt = stage === "removed" ? (endTime ?? updated) : null;
  const approver = keyText(field(r, "approver")) ?? keyText(field(r, "approverId"));
  return grantEvent({
    jit: {
      provider: AWS_TEAM,
      stage,
      assignment: "TEAM",
      role_id: roleId,
      role_name: role ?? roleId,
      principal_id: keyText(field(r, "username")),
      principal_name: principal,
      justification: text(field(r, "justification")),
      ticket: keyText(field(r, "ticketNo")),
      start_time: iso(start),
      end_time: iso(planned ?? endTime),
      request_id: id,
      target_platform: `aws:${accountId}`,
      approved_by: stage === "requested" && status === "pending" ? null : approver,
      revoked_time: iso(revokedAt),
    },
    principal: { id: keyText(field(r, "username")), name: principal, kind: "human", type: "TEAM requester" },
    time: stage === "completed" || stage === "removed" ? start : (time(r, "createdAt") ?? start),
    eventName: `TEAM request ${status}`,
    keyType: "aws.team.request",
    status: status === "error" ? "failure" : "success",
    resources: [
      { type: "aws.permission_set", id: roleId, name: role },
      { type: "aws.account", id: accountId, name: text(field(r, "accountName")) },
    ],
    correlationId: keyText(field(r, "ticketNo")),
    extra: {
      shape: "aws-team-request",
      status,
      revoker: keyText(field(r, "revoker")),
      revokeComment: text(field(r, "revokeComment")),
      comment: text(field(r, "comment")),
      ended_at: iso(endTime),
    },
  });
}

/** A vendor's own JIT export record as its grant event; null when the record is none of them. */
export function normalizeVendorGrant(record: Rec): NormalizedEvent | null {
  const r = plainDynamoRecord(record);
  if (isPimScheduleRequest(r)) return normalizePimRequest(r);
  if (isPimScheduleInstance(r)) return normalizePimInstance(r);
  if (isPimPortalRow(r)) return normalizePimPortalRow(r);
  if (isTeamRequest(r)) return normalizeTeamRequest(r);
  return null;
}

/** Detection score for a vendor JIT export record (0 when none). */
export function vendorGrantScore(record: unknown): number {
  if (!isRec(record)) return 0;
  const r = plainDynamoRecord(record);
  if (isPimScheduleRequest(r) || isPimScheduleInstance(r) || isPimPortalRow(r)) return 0.9;
  if (isTeamRequest(r)) return field(r, "justification") !== undefined || field(r, "approver") !== undefined ? 0.9 : 0.75;
  return 0;
}
