"use client";

import { useQuery } from "@tanstack/react-query";
import type { z } from "zod";
import { listGrantMappingsContract, previewGrantMappingContract, saveGrantMappingContract } from "@/lib/ingest/grant-mappings.types";
import { apiFetch, itemsOf, send } from "./client";

// Answers are parsed by the routes' contracts (lib/ingest/grant-mappings.types.ts).

export const grantMappingsKeys = {
  all: ["grant-mappings"] as const,
  list: () => [...grantMappingsKeys.all, "list"] as const,
};

export type GrantMappingBody = z.input<typeof saveGrantMappingContract.body>;
export type GrantPreviewBody = z.input<typeof previewGrantMappingContract.body>;

const fetchGrantMappings = () => apiFetch("/api/v1/grant-mappings", itemsOf(listGrantMappingsContract.response));
export const saveGrantMapping = (body: GrantMappingBody) =>
  apiFetch("/api/v1/grant-mappings", saveGrantMappingContract.response, send("POST", body));
export const previewGrantMapping = (body: GrantPreviewBody) =>
  apiFetch("/api/v1/grant-mappings/preview", previewGrantMappingContract.response, send("POST", body));

export function useGrantMappings() {
  return useQuery({ queryKey: grantMappingsKeys.list(), queryFn: fetchGrantMappings });
}
