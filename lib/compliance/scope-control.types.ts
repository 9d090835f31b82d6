import { z } from "zod";

export const controlParams = z.object({ framework: z.string(), control: z.string().min(1).max(100) });
export const scopeOutInput = z.object({
  reason: z
    .string()
    .trim()
    .min(10, "Give a reason of at least 10 characters: it is shown with the control and kept in the audit trail.")
    .max(2000),
});
// Scoping out and back in both take a reason (kept in the audit trail).
export const scopeControlContract = { params: controlParams, body: scopeOutInput };
