import { limitedListResult } from "@/lib/list-result";
import { lineageRoot, lineageRootsQuery } from "./types";

// GET /api/v1/lineage/roots: the first `limit` identities and credentials matching the text (not counted).
export const searchLineageRootsContract = { query: lineageRootsQuery, response: limitedListResult(lineageRoot) };
