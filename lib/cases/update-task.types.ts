import { z } from "zod";
import { changeResult, updateTaskInput } from "./types";

export const updateTaskContract = {
  params: z.object({ id: z.guid({ message: "not a case id" }), taskId: z.guid({ message: "not a task id" }) }),
  body: updateTaskInput,
  response: changeResult,
};
