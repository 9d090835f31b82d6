import { z } from "zod";
import { CASE_STATUSES, createCaseInput, SEVERITIES } from "./types";

/** What POST /api/v1/cases answers (201, Location: the case). */
export const createdCase = z.object({
  id: z.string(),
  number: z.number().int(),
  title: z.string(),
  status: z.enum(CASE_STATUSES),
  severity: z.enum(SEVERITIES),
});
export type CreatedCase = z.infer<typeof createdCase>;

export const createCaseContract = { body: createCaseInput, response: createdCase, created: true } as const;
