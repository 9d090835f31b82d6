"use client";

import { useQuery } from "@tanstack/react-query";
import { z } from "zod";
import type { ApiTokenDto } from "@/lib/tokens/api-tokens";
import { apiFetch, listOf, send } from "./client";

export const tokensKeys = {
  all: ["tokens"] as const,
  list: () => [...tokensKeys.all, "list"] as const,
};

const apiToken: z.ZodType<ApiTokenDto> = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  sourceId: z.string(),
  sourceName: z.string(),
  platform: z.string(),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
/** The token itself is in this answer only, once. */
const createdToken = z.object({ token: z.string(), apiToken });
export type CreatedToken = z.infer<typeof createdToken>;

const fetchTokens = () => apiFetch("/api/v1/tokens", listOf(apiToken));
export const createToken = (body: Record<string, string>) => apiFetch("/api/v1/tokens", createdToken, send("POST", body));
export const revokeToken = (id: string) => apiFetch(`/api/v1/tokens/${id}`, apiToken, send("DELETE"));

export function useTokens() {
  return useQuery({ queryKey: tokensKeys.list(), queryFn: fetchTokens });
}
