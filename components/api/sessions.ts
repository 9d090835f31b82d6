"use client";

import { z } from "zod";
import { IDENTITY_KINDS, type IdentityRef, type Page, type SessionListItem } from "@/lib/sessions/types";
import { apiFetch } from "./client";

export const sessionsKeys = {
  all: ["sessions"] as const,
  lists: () => [...sessionsKeys.all, "list"] as const,
  /** One page of the list for a filter (the URL's query string without offset and limit). */
  page: (filter: string, page: number, size: number) => [...sessionsKeys.lists(), filter, page, size] as const,
};

const identityRef: z.ZodType<IdentityRef> = z.object({
  id: z.string(),
  kind: z.enum(IDENTITY_KINDS),
  name: z.string(),
  email: z.string().nullable(),
});

const sessionListItem: z.ZodType<SessionListItem> = z.object({
  id: z.string(),
  platform: z.string(),
  sessionKey: z.string(),
  keyType: z.string(),
  rule: z.string(),
  confidence: z.number(),
  startedAt: z.string(),
  endedAt: z.string(),
  eventCount: z.number(),
  identity: identityRef.nullable(),
  initiator: identityRef.nullable(),
  riskLevel: z.string().nullable(),
  riskScore: z.number(),
  actions: z.array(z.string()),
  objects: z.array(z.object({ type: z.string(), id: z.string() })),
  links: z.number(),
  srcIps: z.array(z.string()),
});

const sessionPage: z.ZodType<Page<SessionListItem>> = z.object({
  items: z.array(sessionListItem),
  total: z.number(),
  offset: z.number(),
  limit: z.number(),
});

function fetchSessionsPage({ filter, page, size }: { filter: string; page: number; size: number }) {
  return apiFetch(`/api/v1/sessions?${filter}${filter ? "&" : ""}offset=${page * size}&limit=${size}`, sessionPage);
}

/** The query for one page of the sessions list (for useQueries: the list loads the pages in view). */
export function sessionsPageQuery(filter: string, page: number, size: number) {
  return { queryKey: sessionsKeys.page(filter, page, size), queryFn: () => fetchSessionsPage({ filter, page, size }) };
}
