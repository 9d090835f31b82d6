import { z } from "zod";

export const controlParams = z.object({ framework: z.string(), control: z.string().min(1).max(100) });
export const scopeOutInput = z.object({
  reason: z
    .string()
    .trim()
    .min(10, "Give a reason of at least 10 characters: it is shown with the control and kept in the audit trail.")
    .max(2000),
});
export type ScopeOutInput = z.output<typeof scopeOutInput>;

/** A control scoped out of the assessment ("not applicable"), with why and by whom. */
export const controlScoping = z.object({
  framework: z.string(),
  controlId: z.string(),
  reason: z.string(),
  scopedBy: z.string().nullable(),
  scopedAt: z.string(),
});

// Scoping out and back in both take a reason (kept in the audit trail). PUT answers the scoping; DELETE (a body on a
// DELETE: the reason) answers that the control is scoped in again.
export const scopeOutControlContract = { params: controlParams, body: scopeOutInput, response: controlScoping };
export const scopeInControlContract = {
  params: controlParams,
  body: scopeOutInput,
  response: z.object({ framework: z.string(), controlId: z.string(), scoped: z.literal(false) }),
};
