import { z } from "zod";
import { caseIdParams } from "./get-case.types";
import { taskInput } from "./types";

/** What POST /api/v1/cases/{id}/tasks answers (201). */
export const addedTask = z.object({ id: z.string(), title: z.string(), done: z.boolean() });
export type AddedTask = z.infer<typeof addedTask>;

export const addTaskContract = { params: caseIdParams, body: taskInput, response: addedTask, created: true } as const;
