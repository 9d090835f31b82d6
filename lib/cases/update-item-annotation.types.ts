import { z } from "zod";
import { annotationInput } from "./types";

export const caseItemParams = z.object({ id: z.guid({ message: "not a case id" }), itemId: z.guid({ message: "not an item id" }) });
export const updateItemAnnotationContract = { params: caseItemParams, body: annotationInput };
