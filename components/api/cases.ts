"use client";

import { useQuery } from "@tanstack/react-query";
import { z } from "zod";
import { CASE_STATUSES, SEVERITIES, type CaseListItem } from "@/lib/cases/types";
import { apiFetch, send } from "./client";
import { useApiMutation } from "./mutation";

// Cases: the case pages render on the server, so changes here refresh the page (refresh: true) and mark every
// cached case list stale (the "Add to case" picker).

export const casesKeys = {
  all: ["cases"] as const,
  lists: () => [...casesKeys.all, "list"] as const,
  /** Cases still being worked (not closed), most recently updated first: the "Add to case" choices. */
  workable: () => [...casesKeys.lists(), "workable"] as const,
};

export type CaseChoice = Pick<CaseListItem, "id" | "number" | "title" | "status" | "severity">;
const caseChoice: z.ZodType<CaseChoice> = z.object({
  id: z.string(),
  number: z.number(),
  title: z.string(),
  status: z.enum(CASE_STATUSES),
  severity: z.enum(SEVERITIES),
});
const caseChoices = z.object({ items: z.array(caseChoice), total: z.number() });

/** Answers the client does not read: the page re-renders from the server after the change. */
const unread = z.unknown();

function fetchWorkableCases() {
  return apiFetch("/api/v1/cases?status=open,investigating,pending_review&sort=updated&dir=desc&limit=100", caseChoices);
}

export function useWorkableCases({ enabled }: { enabled: boolean }) {
  return useQuery({ queryKey: casesKeys.workable(), queryFn: fetchWorkableCases, enabled });
}

export type NewCase = { title: string; severity: string; assigneeId?: string; description?: string; tags?: string[] };
export const createCase = (body: NewCase) => apiFetch("/api/v1/cases", caseChoice, send("POST", body));

export type CaseItemInput = { itemType: string; refId: string; snapshot?: object; annotation?: string };
export const addCaseItem = (caseId: string, body: CaseItemInput) => apiFetch(`/api/v1/cases/${caseId}/items`, unread, send("POST", body));

export const updateCase = (caseId: string, body: Record<string, unknown>) =>
  apiFetch(`/api/v1/cases/${caseId}`, unread, send("PATCH", body));
export const addNote = (caseId: string, body: string) => apiFetch(`/api/v1/cases/${caseId}/notes`, unread, send("POST", { body }));
export const updateNote = (caseId: string, noteId: string, body: string) =>
  apiFetch(`/api/v1/cases/${caseId}/notes/${noteId}`, unread, send("PATCH", { body }));
export const addTask = (caseId: string, body: { title: string; assigneeId?: string; dueAt?: string }) =>
  apiFetch(`/api/v1/cases/${caseId}/tasks`, unread, send("POST", body));
export const updateTask = (caseId: string, taskId: string, body: { done: boolean }) =>
  apiFetch(`/api/v1/cases/${caseId}/tasks/${taskId}`, unread, send("PATCH", body));
export const annotateItem = (caseId: string, itemId: string, annotation: string | null) =>
  apiFetch(`/api/v1/cases/${caseId}/items/${itemId}`, unread, send("PATCH", { annotation }));
export const removeItem = (caseId: string, itemId: string) => apiFetch(`/api/v1/cases/${caseId}/items/${itemId}`, unread, send("DELETE"));

/** A change to a case from its page: the header, items, history and timeline then show the recorded change. */
export function useCaseChange<V>(change: (vars: V) => Promise<unknown>) {
  return useApiMutation<V, unknown>({ mutationFn: change, invalidates: [casesKeys.all], refresh: true });
}
