import type { z } from "zod";
import type { ApiKey } from "@/lib/auth/routes";
import { requestCorrelationContract } from "@/lib/analysis/schedule-analysis.types";
import { exportAuditContract } from "@/lib/audit/export-audit.types";
import { listAuditContract } from "@/lib/audit/list-audit.types";
import { addCaseItemContract } from "@/lib/cases/add-case-item.types";
import { addNoteContract } from "@/lib/cases/add-note.types";
import { addTaskContract } from "@/lib/cases/add-task.types";
import { createCaseContract } from "@/lib/cases/create-case.types";
import { getCaseTimelineContract } from "@/lib/cases/get-case-timeline.types";
import { getCaseReportContract } from "@/lib/cases/get-case-report.types";
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
import { scopeInControlContract, scopeOutControlContract } from "@/lib/compliance/scope-control.types";
import { setComplianceThresholdsContract } from "@/lib/compliance/set-compliance-thresholds.types";
import { getComplianceThresholdsContract } from "@/lib/compliance/thresholds.types";
import { getCoverageContract } from "@/lib/coverage/get-coverage.types";
import { setRequiredRetentionContract } from "@/lib/coverage/set-required-retention.types";
import { exportCaseContract } from "@/lib/export/export-case.types";
import { exportGovernanceChecksContract, listGovernanceChecksContract } from "@/lib/governance/list-governance-checks.types";
import { setGovernanceSettingsContract } from "@/lib/governance/set-governance-settings.types";
import { pushIngestContract, uploadFileContract } from "@/lib/ingest/ingest-stream.types";
import { listGrantMappingsContract, previewGrantMappingContract, saveGrantMappingContract } from "@/lib/ingest/grant-mappings.types";
import { listBatchesContract } from "@/lib/ingest/list-batches.types";
import { listDuplicatesContract } from "@/lib/ingest/list-duplicates.types";
import { exportQuarantineContract, listQuarantineContract, reprocessQuarantineContract } from "@/lib/ingest/quarantine.types";
import { getConsistencyContract } from "@/lib/ledger/consistency.types";
import { getPublicKeyContract } from "@/lib/ledger/public-key.types";
import { getPurgeJobContract } from "@/lib/retention/get-purge-job.types";
import { listHoldsContract } from "@/lib/retention/list-holds.types";
import { listRetentionContract } from "@/lib/retention/list-retention.types";
import { placeHoldContract } from "@/lib/retention/place-hold.types";
import { releaseHoldContract } from "@/lib/retention/release-hold.types";
import { setRetentionPolicyContract } from "@/lib/retention/set-retention-policy.types";
import { startPurgeContract } from "@/lib/retention/start-purge.types";
import { approveRiskAcceptanceContract, dismissFindingContract, reopenFindingContract } from "@/lib/risk/dismiss-finding.types";
import { getFindingContract } from "@/lib/risk/get-finding.types";
import { listFindingsContract } from "@/lib/risk/list-findings.types";
import { getIdentityContract } from "@/lib/sessions/get-identity.types";
import { getLineageContract } from "@/lib/sessions/get-lineage.types";
import { getSessionContract } from "@/lib/sessions/get-session.types";
import { getEventRawRecordContract } from "@/lib/sessions/get-event-raw-record.types";
import { listIdentitiesContract } from "@/lib/sessions/list-identities.types";
import { listSessionsContract } from "@/lib/sessions/list-sessions.types";
import { searchLineageRootsContract } from "@/lib/sessions/search-lineage-roots.types";
import { describePlatformsContract } from "@/lib/sources/describe-platforms.types";
import { checkHealthContract } from "@/lib/system/check-health.types";
import { createApiTokenContract, listApiTokensContract, revokeApiTokenContract } from "@/lib/tokens/api-tokens.types";
import { createUserContract } from "@/lib/users/create-user.types";
import { getProfileContract } from "@/lib/users/get-profile.types";
import { listUsersContract } from "@/lib/users/list-users.types";
import { updateUserContract } from "@/lib/users/update-user.types";
import { openApiContract } from "./openapi.types";

/**
 * What a route accepts and answers, as zod schemas: path params, search params, JSON body, request headers, and
 * the JSON answer on success. The route wrapper (lib/api/handler.ts) parses each input once, by the route's key,
 * and types the handler's answer by `response`; the client's fetchers (components/api) parse answers with the same
 * schema, and lib/api/openapi.ts describes the API from them. The schemas live beside the lib function in
 * <verb>-<noun>.types.ts, which import nothing that reaches the server, so client components can import them.
 */
export type RouteContract = {
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  headers?: z.ZodType;
  /** The body is a file, streamed as it is (not JSON): the content types it may have. */
  rawBody?: readonly string[];
  /** The JSON answer on success. */
  response?: z.ZodType;
  /** The answer is 201 Created (lib/api/responses.ts created()) instead of 200. */
  created?: true;
  /** A file answer (lib/api/responses.ts download()): its content types, without parameters. */
  download?: readonly string[];
};

// The registry of every route's contract, keyed like lib/auth/routes.ts. Every route has one except next-auth's
// own handlers (NO_CONTRACT); lib/api/contracts.test.ts holds it to that.
export const CONTRACTS = {
  "GET /api/v1/health": checkHealthContract,
  "GET /api/v1/me": getProfileContract,
  "GET /api/v1/openapi.json": openApiContract,
  "GET /api/v1/users": listUsersContract,
  "POST /api/v1/users": createUserContract,
  "PATCH /api/v1/users/[id]": updateUserContract,
  "GET /api/v1/tokens": listApiTokensContract,
  "POST /api/v1/tokens": createApiTokenContract,
  "DELETE /api/v1/tokens/[id]": revokeApiTokenContract,
  "GET /api/v1/grant-mappings": listGrantMappingsContract,
  "POST /api/v1/grant-mappings": saveGrantMappingContract,
  "POST /api/v1/grant-mappings/preview": previewGrantMappingContract,
  "GET /api/v1/ledger/public-key": getPublicKeyContract,
  "GET /api/v1/ledger/consistency": getConsistencyContract,
  "GET /api/v1/ingest/platforms": describePlatformsContract,
  "GET /api/v1/ingest/batches": listBatchesContract,
  "GET /api/v1/ingest/batches/[id]/duplicates": listDuplicatesContract,
  "POST /api/v1/ingest/upload": uploadFileContract,
  "GET /api/v1/ingest/quarantine": listQuarantineContract,
  "GET /api/v1/ingest/quarantine/download": exportQuarantineContract,
  "POST /api/v1/ingest/quarantine/reprocess": reprocessQuarantineContract,
  "POST /api/v1/ingest/[platform]": pushIngestContract,
  "GET /api/v1/sessions": listSessionsContract,
  "GET /api/v1/sessions/[id]": getSessionContract,
  "GET /api/v1/identities": listIdentitiesContract,
  "GET /api/v1/identities/[id]": getIdentityContract,
  "GET /api/v1/lineage": getLineageContract,
  "GET /api/v1/lineage/roots": searchLineageRootsContract,
  "POST /api/v1/correlation": requestCorrelationContract,
  "GET /api/v1/governance/checks": listGovernanceChecksContract,
  "GET /api/v1/governance/checks/export": exportGovernanceChecksContract,
  "PUT /api/v1/governance/settings": setGovernanceSettingsContract,
  "GET /api/v1/findings": listFindingsContract,
  "GET /api/v1/findings/[id]": getFindingContract,
  "POST /api/v1/findings/[id]/dismiss": dismissFindingContract,
  "POST /api/v1/findings/[id]/approve": approveRiskAcceptanceContract,
  "POST /api/v1/findings/[id]/reopen": reopenFindingContract,
  "GET /api/v1/compliance/[framework]": getFrameworkStatusContract,
  "GET /api/v1/compliance/[framework]/report": buildFrameworkReportContract,
  "GET /api/v1/compliance/legacy-csf": lookupLegacyCsfContract,
  "PUT /api/v1/compliance/[framework]/[control]/scope": scopeOutControlContract,
  "DELETE /api/v1/compliance/[framework]/[control]/scope": scopeInControlContract,
  "GET /api/v1/compliance/settings": getComplianceThresholdsContract,
  "PUT /api/v1/compliance/settings": setComplianceThresholdsContract,
  "GET /api/v1/coverage": getCoverageContract,
  "PUT /api/v1/coverage/settings": setRequiredRetentionContract,
  "GET /api/v1/cases": listCasesContract,
  "POST /api/v1/cases": createCaseContract,
  "GET /api/v1/cases/[id]": getCaseContract,
  "PATCH /api/v1/cases/[id]": updateCaseContract,
  "POST /api/v1/cases/[id]/items": addCaseItemContract,
  "PATCH /api/v1/cases/[id]/items/[itemId]": updateItemAnnotationContract,
  "DELETE /api/v1/cases/[id]/items/[itemId]": removeCaseItemContract,
  "POST /api/v1/cases/[id]/notes": addNoteContract,
  "PATCH /api/v1/cases/[id]/notes/[noteId]": updateNoteContract,
  "POST /api/v1/cases/[id]/tasks": addTaskContract,
  "PATCH /api/v1/cases/[id]/tasks/[taskId]": updateTaskContract,
  "GET /api/v1/cases/[id]/timeline": getCaseTimelineContract,
  "GET /api/v1/cases/[id]/export": exportCaseContract,
  "GET /api/v1/cases/[id]/report": getCaseReportContract,
  "GET /api/v1/retention": listRetentionContract,
  "PUT /api/v1/retention/policies/[sourceId]": setRetentionPolicyContract,
  "POST /api/v1/retention/purge": startPurgeContract,
  "GET /api/v1/retention/jobs/[id]": getPurgeJobContract,
  "GET /api/v1/holds": listHoldsContract,
  "POST /api/v1/holds": placeHoldContract,
  "POST /api/v1/holds/[id]/release": releaseHoldContract,
  "GET /api/v1/audit": listAuditContract,
  "GET /api/v1/audit/export": exportAuditContract,
  "GET /api/v1/events/[id]/raw": getEventRawRecordContract,
} as const satisfies Partial<Record<ApiKey, RouteContract>>;

/** next-auth's own endpoints: not ours to describe. */
export const NO_CONTRACT = ["GET /api/auth/[...nextauth]", "POST /api/auth/[...nextauth]"] as const satisfies readonly ApiKey[];

/** The contract of a route key; routes without an entry take no input. */
export type ContractOf<K extends ApiKey> = K extends keyof typeof CONTRACTS ? (typeof CONTRACTS)[K] : Record<never, never>;

export function contractOf(key: ApiKey): RouteContract {
  return (CONTRACTS as Partial<Record<ApiKey, RouteContract>>)[key] ?? {};
}
