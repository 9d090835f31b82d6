import { z } from "zod";
import { caseIdParams } from "./get-case.types";
import { addItemInput, CASE_ITEM_TYPES } from "./types";

/** What POST /api/v1/cases/{id}/items answers (201). */
export const addedCaseItem = z.object({
  id: z.string(),
  caseId: z.string(),
  itemType: z.enum(CASE_ITEM_TYPES),
  refId: z.string(),
  annotation: z.string().nullable(),
  addedAt: z.string(),
});
export type AddedCaseItem = z.infer<typeof addedCaseItem>;

export const addCaseItemContract = { params: caseIdParams, body: addItemInput, response: addedCaseItem, created: true } as const;
