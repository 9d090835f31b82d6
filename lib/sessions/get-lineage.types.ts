import { lineageGraph, lineageQuery } from "./types";

// GET /api/v1/lineage: the graph from one credential or identity.
export const getLineageContract = { query: lineageQuery, response: lineageGraph };
