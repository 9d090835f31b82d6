import { z } from "zod";

export const legacyCsfQuery = z.object({
  id: z
    .string({ message: "Enter a CSF 1.1 id such as PR.AC-1." })
    .trim()
    .min(1, "Enter a CSF 1.1 id such as PR.AC-1.")
    .max(20, "A CSF id is at most 20 characters, e.g. PR.AC-1.")
    .regex(/^[A-Za-z]{2}\.[A-Za-z]{2}(-\d{1,2})?$/, "Not a CSF id: use the form PR.AC-1 (function.category-number)."),
});

export const legacyCsfResult = z.object({
  query: z.string(),
  /** The id in the official two-digit form, e.g. PR.AC-01. */
  id: z.string(),
  found: z.boolean(),
  links: z.array(
    z.object({ rel: z.string(), label: z.string(), targets: z.array(z.object({ id: z.string(), text: z.string().nullable() })) }),
  ),
  message: z.string(),
});
export type LegacyCsfResult = z.infer<typeof legacyCsfResult>;

// GET /api/v1/compliance/legacy-csf?id=PR.AC-1
export const lookupLegacyCsfContract = { query: legacyCsfQuery, response: legacyCsfResult };
