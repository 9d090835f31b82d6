import { coverageReport } from "./types";

// GET /api/v1/coverage: per-platform field coverage, join-ability, retention horizon and gaps.
export const getCoverageContract = { response: coverageReport };
