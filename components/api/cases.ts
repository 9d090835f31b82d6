"use client";

import { useQuery } from "@tanstack/react-query";
import type { z } from "zod";
import { addCaseItemContract } from "@/lib/cases/add-case-item.types";
import { addNoteContract } from "@/lib/cases/add-note.types";
import { addTaskContract } from "@/lib/cases/add-task.types";
import { createCaseContract } from "@/lib/cases/create-case.types";
import { listCasesContract } from "@/lib/cases/list-cases.types";
import { removeCaseItemContract } from "@/lib/cases/remove-case-item.types";
import { updateCaseContract } from "@/lib/cases/update-case.types";
import { updateItemAnnotationContract } from "@/lib/cases/update-item-annotation.types";
import { updateNoteContract } from "@/lib/cases/update-note.types";
import { updateTaskContract } from "@/lib/cases/update-task.types";
import { apiFetch, send } from "./client";
import { useApiMutation } from "./mutation";

// Cases: the case pages render on the server, so changes here refresh the page (refresh: true) and mark every
// cached case list stale (the "Add to case" picker). Bodies are typed and answers parsed by the routes' contracts
// (lib/cases/*.types.ts), the schemas the server parses and answers with.

export const casesKeys = {
  all: ["cases"] as const,
  lists: () => [...casesKeys.all, "list"] as const,
  /** Cases still being worked (not closed), most recently updated first: the "Add to case" choices. */
  workable: () => [...casesKeys.lists(), "workable"] as const,
};

/** A case to add evidence to: one from the list, or the one just created. */
export type CaseChoice = Pick<z.output<typeof createCaseContract.response>, "id" | "number" | "title">;

function fetchWorkableCases() {
  return apiFetch("/api/v1/cases?status=open,investigating,pending_review&sort=updated&dir=desc&limit=100", listCasesContract.response);
}

export function useWorkableCases({ enabled }: { enabled: boolean }) {
  return useQuery({ queryKey: casesKeys.workable(), queryFn: fetchWorkableCases, enabled });
}

export type NewCase = z.input<typeof createCaseContract.body>;
export const createCase = (body: NewCase) => apiFetch("/api/v1/cases", createCaseContract.response, send("POST", body));

export type CaseItemInput = z.input<typeof addCaseItemContract.body>;
export const addCaseItem = (caseId: string, body: CaseItemInput) =>
  apiFetch(`/api/v1/cases/${caseId}/items`, addCaseItemContract.response, send("POST", body));

export type CaseChange = z.input<typeof updateCaseContract.body>;
export const updateCase = (caseId: string, body: CaseChange) =>
  apiFetch(`/api/v1/cases/${caseId}`, updateCaseContract.response, send("PATCH", body));
export const addNote = (caseId: string, body: string) =>
  apiFetch(
    `/api/v1/cases/${caseId}/notes`,
    addNoteContract.response,
    send("POST", { body } satisfies z.input<typeof addNoteContract.body>),
  );
export const updateNote = (caseId: string, noteId: string, body: string) =>
  apiFetch(
    `/api/v1/cases/${caseId}/notes/${noteId}`,
    updateNoteContract.response,
    send("PATCH", { body } satisfies z.input<typeof updateNoteContract.body>),
  );
export type NewTask = z.input<typeof addTaskContract.body>;
export const addTask = (caseId: string, body: NewTask) =>
  apiFetch(`/api/v1/cases/${caseId}/tasks`, addTaskContract.response, send("POST", body));
export type TaskChange = z.input<typeof updateTaskContract.body>;
export const updateTask = (caseId: string, taskId: string, body: TaskChange) =>
  apiFetch(`/api/v1/cases/${caseId}/tasks/${taskId}`, updateTaskContract.response, send("PATCH", body));
export const annotateItem = (caseId: string, itemId: string, annotation: string | null) =>
  apiFetch(
    `/api/v1/cases/${caseId}/items/${itemId}`,
    updateItemAnnotationContract.response,
    send("PATCH", { annotation } satisfies z.input<typeof updateItemAnnotationContract.body>),
  );
export const removeItem = (caseId: string, itemId: string) =>
  apiFetch(`/api/v1/cases/${caseId}/items/${itemId}`, removeCaseItemContract.response, send("DELETE"));

/** A change to a case from its page: the header, items, history and timeline then show the recorded change. */
export function useCaseChange<V>(change: (vars: V) => Promise<unknown>) {
  return useApiMutation<V, unknown>({ mutationFn: change, invalidates: [casesKeys.all], refresh: true });
}
