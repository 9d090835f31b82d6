import type { ActorKind, EventResource, NormalizedEvent } from "@/lib/events/schema";
import { NormalizeError } from "../types";
import { at, field, isRec, keyText, recAt, text, type Rec } from "../util/fields";
import { tryParseTime } from "../util/time";
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
// AWS TEAM (Temporary Elevated Access Management for IAM Identity Center), its requests table as exported (the app's
// listRequests items, a DynamoDB export unmarshalled, or CSV with the same columns): id, email, username, accountId,
// accountName, role, roleId (permission set ARN), startTime, duration (hours), endTime, justification, ticketNo, status
// (pending, approved, rejected, cancelled, expired, scheduled, in progress, ended, revoked, error), approver,
// approverId, revoker, revokerId, revokeComment, createdAt, updatedAt.
// https://aws-samples.github.io/iam-identity-center-team/ and the app's schema (src/models/schema.js, requests model).

const ENTRA_PIM = "entra.pim";
const AWS_TEAM = "aws.team";

function time(r: Rec, ...path: string[]): Date | null {
  const v = at(r, ...path);
  if (v === undefined || v === null || v === "") return null;
  const d = tryParseTime(v);
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
export function normalizeVendorGrant(r: Rec): NormalizedEvent | null {
  if (isPimScheduleRequest(r)) return normalizePimRequest(r);
  if (isPimScheduleInstance(r)) return normalizePimInstance(r);
  if (isTeamRequest(r)) return normalizeTeamRequest(r);
  return null;
}

/** Detection score for a vendor JIT export record (0 when none). */
export function vendorGrantScore(r: unknown): number {
  if (!isRec(r)) return 0;
  if (isPimScheduleRequest(r) || isPimScheduleInstance(r)) return 0.9;
  if (isTeamRequest(r)) return field(r, "justification") !== undefined || field(r, "approver") !== undefined ? 0.9 : 0.75;
  return 0;
}
