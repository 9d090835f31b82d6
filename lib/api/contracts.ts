import type { z } from "zod";
import type { ApiKey } from "@/lib/auth/routes";
import { exportAuditContract } from "@/lib/audit/export-audit.types";
import { listAuditContract } from "@/lib/audit/list-audit.types";
import { addCaseItemContract } from "@/lib/cases/add-case-item.types";
import { addNoteContract } from "@/lib/cases/add-note.types";
import { addTaskContract } from "@/lib/cases/add-task.types";
import { createCaseContract } from "@/lib/cases/create-case.types";
import { getCaseTimelineContract } from "@/lib/cases/get-case-timeline.types";
import { getCaseContract } from "@/lib/cases/get-case.types";
import { listCasesContract } from "@/lib/cases/list-cases.types";
import { removeCaseItemContract } from "@/lib/cases/remove-case-item.types";
import { updateCaseContract } from "@/lib/cases/update-case.types";
import { updateItemAnnotationContract } from "@/lib/cases/update-item-annotation.types";
import { updateNoteContract } from "@/lib/cases/update-note.types";
import { updateTaskContract } from "@/lib/cases/update-task.types";
import { buildFrameworkReportContract } from "@/lib/compliance/build-framework-report.types";
import { getFrameworkStatusContract } from "@/lib/compliance/get-framework-status.types";
import { lookupLegacyCsfContract } from "@/lib/compliance/lookup-legacy-csf.types";
import { scopeControlContract } from "@/lib/compliance/scope-control.types";
import { setComplianceThresholdsContract } from "@/lib/compliance/set-compliance-thresholds.types";
import { runCorrelationContract } from "@/lib/correlation/run-correlation.types";
import { setRequiredRetentionContract } from "@/lib/coverage/set-required-retention.types";
import { exportCaseContract } from "@/lib/export/export-case.types";
import { exportGovernanceChecksContract, listGovernanceChecksContract } from "@/lib/governance/list-governance-checks.types";
import { setGovernanceSettingsContract } from "@/lib/governance/set-governance-settings.types";
import { pushIngestContract, uploadFileContract } from "@/lib/ingest/ingest-stream.types";
import { listBatchesContract } from "@/lib/ingest/list-batches.types";
import { listQuarantineContract, reprocessQuarantineContract } from "@/lib/ingest/quarantine.types";
import { getPublicKeyContract } from "@/lib/ledger/public-key.types";
import { getPurgeJobContract } from "@/lib/retention/get-purge-job.types";
import { listHoldsContract } from "@/lib/retention/list-holds.types";
import { placeHoldContract } from "@/lib/retention/place-hold.types";
import { releaseHoldContract } from "@/lib/retention/release-hold.types";
import { setRetentionPolicyContract } from "@/lib/retention/set-retention-policy.types";
import { changeFindingStatusContract, dismissFindingContract } from "@/lib/risk/dismiss-finding.types";
import { getFindingContract } from "@/lib/risk/get-finding.types";
import { listFindingsContract } from "@/lib/risk/list-findings.types";
import { getIdentityContract } from "@/lib/sessions/get-identity.types";
import { getLineageContract } from "@/lib/sessions/get-lineage.types";
import { getSessionContract } from "@/lib/sessions/get-session.types";
import { getEventRawRecordContract } from "@/lib/sessions/get-event-raw-record.types";
import { listIdentitiesContract } from "@/lib/sessions/list-identities.types";
import { listSessionsContract } from "@/lib/sessions/list-sessions.types";
import { searchLineageRootsContract } from "@/lib/sessions/search-lineage-roots.types";
import { createApiTokenContract, revokeApiTokenContract } from "@/lib/tokens/api-tokens.types";
import { createUserContract } from "@/lib/users/create-user.types";
import { updateUserContract } from "@/lib/users/update-user.types";

/**
 * What a route accepts, as zod schemas: path params, search params, JSON body, request headers. The route
 * wrapper (lib/api/handler.ts) parses each one once, by the route's key; the schemas live beside the lib
 * function in <verb>-<noun>.types.ts. A route without an entry takes no input.
 */
export type RouteContract = { params?: z.ZodType; query?: z.ZodType; body?: z.ZodType; headers?: z.ZodType };

// The registry of every route's request schemas, keyed like lib/auth/routes.ts (an API description can be
// generated from it).
export const CONTRACTS = {
  "GET /api/v1/audit": listAuditContract,
  "GET /api/v1/audit/export": exportAuditContract,
  "GET /api/v1/cases": listCasesContract,
  "POST /api/v1/cases": createCaseContract,
  "GET /api/v1/cases/[id]": getCaseContract,
  "PATCH /api/v1/cases/[id]": updateCaseContract,
  "GET /api/v1/cases/[id]/timeline": getCaseTimelineContract,
  "GET /api/v1/cases/[id]/export": exportCaseContract,
  "POST /api/v1/cases/[id]/items": addCaseItemContract,
  "PATCH /api/v1/cases/[id]/items/[itemId]": updateItemAnnotationContract,
  "DELETE /api/v1/cases/[id]/items/[itemId]": removeCaseItemContract,
  "POST /api/v1/cases/[id]/notes": addNoteContract,
  "PATCH /api/v1/cases/[id]/notes/[noteId]": updateNoteContract,
  "POST /api/v1/cases/[id]/tasks": addTaskContract,
  "PATCH /api/v1/cases/[id]/tasks/[taskId]": updateTaskContract,
  "GET /api/v1/compliance/[framework]": getFrameworkStatusContract,
  "GET /api/v1/compliance/[framework]/report": buildFrameworkReportContract,
  "GET /api/v1/compliance/legacy-csf": lookupLegacyCsfContract,
  "PUT /api/v1/compliance/[framework]/[control]/scope": scopeControlContract,
  "DELETE /api/v1/compliance/[framework]/[control]/scope": scopeControlContract,
  "PUT /api/v1/compliance/settings": setComplianceThresholdsContract,
  "POST /api/v1/correlation": runCorrelationContract,
  "PUT /api/v1/coverage/settings": setRequiredRetentionContract,
  "GET /api/v1/findings": listFindingsContract,
  "GET /api/v1/findings/[id]": getFindingContract,
  "POST /api/v1/findings/[id]/dismiss": dismissFindingContract,
  "POST /api/v1/findings/[id]/approve": changeFindingStatusContract,
  "POST /api/v1/findings/[id]/reopen": changeFindingStatusContract,
  "GET /api/v1/governance/checks": listGovernanceChecksContract,
  "GET /api/v1/governance/checks/export": exportGovernanceChecksContract,
  "PUT /api/v1/governance/settings": setGovernanceSettingsContract,
  "GET /api/v1/holds": listHoldsContract,
  "POST /api/v1/holds": placeHoldContract,
  "POST /api/v1/holds/[id]/release": releaseHoldContract,
  "GET /api/v1/identities": listIdentitiesContract,
  "GET /api/v1/identities/[id]": getIdentityContract,
  "GET /api/v1/ingest/batches": listBatchesContract,
  "GET /api/v1/ingest/quarantine": listQuarantineContract,
  "GET /api/v1/ingest/quarantine/download": listQuarantineContract,
  "POST /api/v1/ingest/quarantine/reprocess": reprocessQuarantineContract,
  "POST /api/v1/ingest/upload": uploadFileContract,
  "POST /api/v1/ingest/[platform]": pushIngestContract,
  "GET /api/v1/ledger/public-key": getPublicKeyContract,
  "GET /api/v1/lineage": getLineageContract,
  "GET /api/v1/lineage/roots": searchLineageRootsContract,
  "GET /api/v1/retention/jobs/[id]": getPurgeJobContract,
  "PUT /api/v1/retention/policies/[sourceId]": setRetentionPolicyContract,
  "GET /api/v1/sessions": listSessionsContract,
  "GET /api/v1/sessions/[id]": getSessionContract,
  "GET /api/v1/events/[id]/raw": getEventRawRecordContract,
  "POST /api/v1/tokens": createApiTokenContract,
  "DELETE /api/v1/tokens/[id]": revokeApiTokenContract,
  "POST /api/v1/users": createUserContract,
  "PATCH /api/v1/users/[id]": updateUserContract,
} as const satisfies Partial<Record<ApiKey, RouteContract>>;

/** The contract of a route key; routes without an entry take no input. */
export type ContractOf<K extends ApiKey> = K extends keyof typeof CONTRACTS ? (typeof CONTRACTS)[K] : Record<never, never>;

export function contractOf(key: ApiKey): RouteContract {
  return (CONTRACTS as Partial<Record<ApiKey, RouteContract>>)[key] ?? {};
}
