"use client";

import { useQuery } from "@tanstack/react-query";
import { getLineageContract } from "@/lib/sessions/get-lineage.types";
import { searchLineageRootsContract } from "@/lib/sessions/search-lineage-roots.types";
import { apiFetch, itemsOf } from "./client";

// Answers are parsed by the routes' contracts (lib/sessions/get-lineage.types.ts, search-lineage-roots.types.ts).

export type LineageParams = { credentialId: string; identityId: string; depth: string; limit: string };

const lineageKeys = {
  all: ["lineage"] as const,
  roots: (q: string) => [...lineageKeys.all, "roots", q] as const,
  graph: (p: LineageParams) => [...lineageKeys.all, "graph", p] as const,
};

const fetchLineageRoots = (q: string) =>
  apiFetch(`/api/v1/lineage/roots?q=${encodeURIComponent(q)}`, itemsOf(searchLineageRootsContract.response));

function fetchLineageGraph({ credentialId, identityId, depth, limit }: LineageParams) {
  const root = credentialId ? `credentialId=${encodeURIComponent(credentialId)}` : `identityId=${encodeURIComponent(identityId)}`;
  return apiFetch(
    `/api/v1/lineage?${root}&depth=${encodeURIComponent(depth)}&limit=${encodeURIComponent(limit)}`,
    getLineageContract.response,
  );
}

/** Identities and credentials matching the search text (nothing is asked for an empty text). */
export function useLineageRoots(q: string) {
  return useQuery({ queryKey: lineageKeys.roots(q), queryFn: () => fetchLineageRoots(q), enabled: q.length > 0 });
}

/** The graph from a credential or an identity (nothing is asked until one is chosen). */
export function useLineageGraph(params: LineageParams) {
  return useQuery({
    queryKey: lineageKeys.graph(params),
    queryFn: () => fetchLineageGraph(params),
    enabled: Boolean(params.credentialId || params.identityId),
  });
}
