import { lineageQuery } from "./types";

export const getLineageContract = { query: lineageQuery };
