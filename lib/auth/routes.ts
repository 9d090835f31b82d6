import type { Permission } from "./permissions";

// Every page and every route handler, with the permission it needs. Handlers and pages look their
// permission up here by key, and test e2e/role-matrix.spec.ts walks app/ and fails on any route or page
// missing from this table, then checks each role against a running server.
//   "public"        no sign-in (sign-in page, health, next-auth's own endpoints, the ledger public key and
//                   consistency proofs)
//   "token"         a per-source push API token (Authorization: Bearer), not a user session
//   a Permission    a signed-in, enabled user whose role holds it
export type Access = Permission | "public" | "token";

export const PAGE_ACCESS = {
  "/": "profile.read",
  "/login": "public",
  "/sessions": "sessions.read",
  "/sessions/[id]": "sessions.read",
  "/identities": "identities.read",
  "/identities/[id]": "identities.read",
  "/lineage": "lineage.read",
  "/coverage": "coverage.read",
  "/compliance": "compliance.read",
  "/cases": "cases.read",
  "/ingest": "ingest.read",
  "/settings": "settings.read",
  "/settings/users": "users.manage",
  // -- governance & findings (lib/governance, lib/risk)
  "/governance": "governance.read",
  "/findings": "findings.read",
  "/findings/[id]": "findings.read",
  // -- coverage & compliance (lib/coverage, lib/compliance)
  "/compliance/[framework]": "compliance.read",
  "/compliance/[framework]/[control]": "compliance.read",
  // -- cases (lib/cases)
  "/cases/[id]": "cases.read",
  // -- retention, holds, audit trail (lib/retention, lib/audit)
  "/retention": "retention.read",
  "/audit": "audit.read",
} as const satisfies Record<string, Access>;

export const API_ACCESS = {
  "GET /api/auth/[...nextauth]": "public",
  "POST /api/auth/[...nextauth]": "public",
  "GET /api/v1/health": "public",
  "GET /api/v1/me": "profile.read",
  // The API description: for anyone signed in (each operation says who may call it).
  "GET /api/v1/openapi.json": "profile.read",
  "GET /api/v1/users": "users.manage",
  "POST /api/v1/users": "users.manage",
  "PATCH /api/v1/users/[id]": "users.manage",
  "GET /api/v1/tokens": "tokens.manage",
  "POST /api/v1/tokens": "tokens.manage",
  "DELETE /api/v1/tokens/[id]": "tokens.manage",
  "GET /api/v1/grant-mappings": "grantMappings.manage",
  "POST /api/v1/grant-mappings": "grantMappings.manage",
  "POST /api/v1/grant-mappings/preview": "grantMappings.manage",
  "GET /api/v1/ledger/public-key": "public",
  "GET /api/v1/ledger/consistency": "public",
  "GET /api/v1/ingest/platforms": "ingest.read",
  "GET /api/v1/ingest/batches": "ingest.read",
  "GET /api/v1/ingest/batches/[id]/duplicates": "ingest.read",
  "POST /api/v1/ingest/upload": "ingest.write",
  "GET /api/v1/ingest/quarantine": "ingest.read",
  "GET /api/v1/ingest/quarantine/download": "ingest.read",
  "POST /api/v1/ingest/quarantine/reprocess": "ingest.write",
  "POST /api/v1/ingest/[platform]": "token",
  "GET /api/v1/sessions": "sessions.read",
  "GET /api/v1/sessions/[id]": "sessions.read",
  "GET /api/v1/events/[id]/raw": "sessions.read",
  "GET /api/v1/identities": "identities.read",
  "GET /api/v1/identities/[id]": "identities.read",
  "GET /api/v1/lineage": "lineage.read",
  "GET /api/v1/lineage/roots": "lineage.read",
  "POST /api/v1/correlation": "ingest.write",
  // -- governance & findings (lib/governance, lib/risk)
  "GET /api/v1/governance/checks": "governance.read",
  "GET /api/v1/governance/checks/export": "governance.read",
  "PUT /api/v1/governance/settings": "governance.manage",
  "GET /api/v1/findings": "findings.read",
  "GET /api/v1/findings/[id]": "findings.read",
  "POST /api/v1/findings/[id]/dismiss": "findings.dismiss",
  "POST /api/v1/findings/[id]/reopen": "findings.dismiss",
  "POST /api/v1/findings/[id]/approve": "findings.approve",
  // -- coverage & compliance (lib/coverage, lib/compliance)
  "GET /api/v1/compliance/[framework]": "compliance.read",
  "GET /api/v1/compliance/[framework]/report": "compliance.read",
  "GET /api/v1/compliance/legacy-csf": "compliance.read",
  "PUT /api/v1/compliance/[framework]/[control]/scope": "compliance.manage",
  "DELETE /api/v1/compliance/[framework]/[control]/scope": "compliance.manage",
  "GET /api/v1/compliance/settings": "compliance.read",
  "PUT /api/v1/compliance/settings": "compliance.manage",
  "GET /api/v1/coverage": "coverage.read",
  "PUT /api/v1/coverage/settings": "holds.manage",
  // -- cases (lib/cases)
  "GET /api/v1/cases": "cases.read",
  "POST /api/v1/cases": "cases.write",
  "GET /api/v1/cases/[id]": "cases.read",
  "PATCH /api/v1/cases/[id]": "cases.write",
  "POST /api/v1/cases/[id]/items": "cases.write",
  "PATCH /api/v1/cases/[id]/items/[itemId]": "cases.write",
  "DELETE /api/v1/cases/[id]/items/[itemId]": "cases.write",
  "POST /api/v1/cases/[id]/notes": "cases.write",
  "PATCH /api/v1/cases/[id]/notes/[noteId]": "cases.write",
  "POST /api/v1/cases/[id]/tasks": "cases.write",
  "PATCH /api/v1/cases/[id]/tasks/[taskId]": "cases.write",
  "GET /api/v1/cases/[id]/timeline": "cases.read",
  // -- evidence export (lib/export)
  "GET /api/v1/cases/[id]/export": "cases.export",
  "GET /api/v1/cases/[id]/report": "cases.export",
  // -- retention, holds, audit trail (lib/retention, lib/audit)
  "GET /api/v1/retention": "retention.read",
  "PUT /api/v1/retention/policies/[sourceId]": "holds.manage",
  "POST /api/v1/retention/purge": "holds.manage",
  "GET /api/v1/retention/jobs/[id]": "retention.read",
  "GET /api/v1/holds": "retention.read",
  "POST /api/v1/holds": "holds.manage",
  "POST /api/v1/holds/[id]/release": "holds.manage",
  "GET /api/v1/audit": "audit.read",
  "GET /api/v1/audit/export": "audit.read",
} as const satisfies Record<string, Access>;

export type PageKey = keyof typeof PAGE_ACCESS;
export type ApiKey = keyof typeof API_ACCESS;
