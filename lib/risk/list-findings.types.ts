import { findingsQuery } from "./types";

export const listFindingsContract = { query: findingsQuery };
