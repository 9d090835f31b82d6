"use client";

import { listSessionsContract } from "@/lib/sessions/list-sessions.types";
import { apiFetch } from "./client";

// One page of the sessions list, parsed by the route's contract (lib/sessions/list-sessions.types.ts).

export const sessionsKeys = {
  all: ["sessions"] as const,
  lists: () => [...sessionsKeys.all, "list"] as const,
  /** One page of the list for a filter (the URL's query string without offset and limit). */
  page: (filter: string, page: number, size: number) => [...sessionsKeys.lists(), filter, page, size] as const,
};

function fetchSessionsPage({ filter, page, size }: { filter: string; page: number; size: number }) {
  return apiFetch(`/api/v1/sessions?${filter}${filter ? "&" : ""}offset=${page * size}&limit=${size}`, listSessionsContract.response);
}

/** The query for one page of the sessions list (for useQueries: the list loads the pages in view). */
export function sessionsPageQuery(filter: string, page: number, size: number) {
  return { queryKey: sessionsKeys.page(filter, page, size), queryFn: () => fetchSessionsPage({ filter, page, size }) };
}
