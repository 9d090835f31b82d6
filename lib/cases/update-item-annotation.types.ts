import { z } from "zod";
import { annotationInput, changeResult } from "./types";

export const caseItemParams = z.object({ id: z.guid({ message: "not a case id" }), itemId: z.guid({ message: "not an item id" }) });

/** What PATCH /api/v1/cases/{id}/items/{itemId} answers: the annotation as stored. */
export const annotationResult = changeResult.extend({ annotation: z.string().nullable() });
export type AnnotationResult = z.infer<typeof annotationResult>;

export const updateItemAnnotationContract = { params: caseItemParams, body: annotationInput, response: annotationResult };
