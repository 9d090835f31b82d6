import { z } from "zod";

/** Liveness and database reachability; nothing else. */
export const health = z.object({ status: z.enum(["ok", "degraded"]), database: z.enum(["ok", "unreachable"]), time: z.string() });
export type Health = z.infer<typeof health>;

// GET /api/v1/health (public)
export const checkHealthContract = { response: health };
