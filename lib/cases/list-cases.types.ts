import { casesPage, casesQuery } from "./types";

// GET /api/v1/cases: filters, sort and page in; one page of cases with the total out.
export const listCasesContract = { query: casesQuery, response: casesPage };
