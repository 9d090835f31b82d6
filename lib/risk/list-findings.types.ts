import { findingsPage, findingsQuery } from "./types";

// GET /api/v1/findings
export const listFindingsContract = { query: findingsQuery, response: findingsPage };
