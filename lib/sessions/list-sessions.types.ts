import { sessionsPage, sessionsQuery } from "./types";

// GET /api/v1/sessions: filters, sort and page in; one page of sessions with the total out.
export const listSessionsContract = { query: sessionsQuery, response: sessionsPage };
