import { lineageRootsQuery } from "./types";

export const searchLineageRootsContract = { query: lineageRootsQuery };
