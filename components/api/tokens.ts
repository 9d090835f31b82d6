"use client";

import { useQuery } from "@tanstack/react-query";
import type { z } from "zod";
import { createApiTokenContract, listApiTokensContract, revokeApiTokenContract, type CreatedApiToken } from "@/lib/tokens/api-tokens.types";
import { apiFetch, itemsOf, send } from "./client";

// Answers are parsed by the routes' contracts (lib/tokens/api-tokens.types.ts).

export const tokensKeys = {
  all: ["tokens"] as const,
  list: () => [...tokensKeys.all, "list"] as const,
};

/** The token itself is in this answer only, once. */
export type CreatedToken = CreatedApiToken;
export type NewToken = z.input<typeof createApiTokenContract.body>;

const fetchTokens = () => apiFetch("/api/v1/tokens", itemsOf(listApiTokensContract.response));
export const createToken = (body: NewToken) => apiFetch("/api/v1/tokens", createApiTokenContract.response, send("POST", body));
export const revokeToken = (id: string) => apiFetch(`/api/v1/tokens/${id}`, revokeApiTokenContract.response, send("DELETE"));

export function useTokens() {
  return useQuery({ queryKey: tokensKeys.list(), queryFn: fetchTokens });
}
