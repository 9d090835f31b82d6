import { caseIdParams } from "./get-case.types";
import { taskInput } from "./types";

export const addTaskContract = { params: caseIdParams, body: taskInput };
