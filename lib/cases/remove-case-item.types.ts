import { z } from "zod";
import { caseItemParams } from "./update-item-annotation.types";

/** What DELETE /api/v1/cases/{id}/items/{itemId} answers. */
export const removedCaseItem = z.object({ id: z.string(), removed: z.literal(true) });
export type RemovedCaseItem = z.infer<typeof removedCaseItem>;

export const removeCaseItemContract = { params: caseItemParams, response: removedCaseItem };
