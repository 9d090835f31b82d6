import { sessionsQuery } from "./types";

export const listSessionsContract = { query: sessionsQuery };
