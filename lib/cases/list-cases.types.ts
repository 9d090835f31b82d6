import { casesQuery } from "./types";

export const listCasesContract = { query: casesQuery };
