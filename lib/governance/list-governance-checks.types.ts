import { checksQuery } from "./types";

export const listGovernanceChecksContract = { query: checksQuery };

// GET /api/v1/governance/checks/export: the list's filters and sort (every matching check, no paging).
export const exportGovernanceChecksContract = { query: checksQuery.omit({ offset: true, limit: true }) };
