"use client";

import { useQuery } from "@tanstack/react-query";
import { z } from "zod";
import { LINEAGE_NODE_TYPES, type LineageEdgeType, type LineageGraph, type LineageRoot } from "@/lib/sessions/types";
import { apiFetch, listOf } from "./client";

export type LineageParams = { credentialId: string; identityId: string; depth: string; limit: string };

const lineageKeys = {
  all: ["lineage"] as const,
  roots: (q: string) => [...lineageKeys.all, "roots", q] as const,
  graph: (p: LineageParams) => [...lineageKeys.all, "graph", p] as const,
};

const EDGE_TYPES = ["holds", "parent_of", "used_by", "session_of", "linked_to", "performed"] as const satisfies readonly LineageEdgeType[];
const rootRef = z.object({ type: z.enum(["identity", "credential"]), id: z.string() });

const lineageRoot: z.ZodType<LineageRoot> = rootRef.extend({
  label: z.string(),
  kind: z.string(),
  platform: z.string().nullable(),
  detail: z.string().nullable(),
});

const lineageGraph: z.ZodType<LineageGraph> = z.object({
  root: rootRef,
  nodes: z.array(
    z.object({
      id: z.string(),
      type: z.enum(LINEAGE_NODE_TYPES),
      label: z.string(),
      kind: z.string(),
      platform: z.string().nullable(),
      depth: z.number(),
      time: z.string().nullable(),
      detail: z.record(z.string(), z.union([z.string(), z.number(), z.null()])),
    }),
  ),
  edges: z.array(
    z.object({
      id: z.string(),
      source: z.string(),
      target: z.string(),
      type: z.enum(EDGE_TYPES),
      rule: z.string(),
      confidence: z.number(),
    }),
  ),
  depth: z.number(),
  limit: z.number(),
  hide: z.array(z.enum(LINEAGE_NODE_TYPES)),
  truncated: z.boolean(),
  unexpanded: z.number(),
});

const fetchLineageRoots = (q: string) => apiFetch(`/api/v1/lineage/roots?q=${encodeURIComponent(q)}`, listOf(lineageRoot));

function fetchLineageGraph({ credentialId, identityId, depth, limit }: LineageParams) {
  const root = credentialId ? `credentialId=${encodeURIComponent(credentialId)}` : `identityId=${encodeURIComponent(identityId)}`;
  return apiFetch(`/api/v1/lineage?${root}&depth=${encodeURIComponent(depth)}&limit=${encodeURIComponent(limit)}`, lineageGraph);
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
