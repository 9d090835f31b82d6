import { z } from "zod";

// POST /api/v1/retention/purge: 201 with the job to poll (Location: /api/v1/retention/jobs/{jobId}).
export const startPurgeContract = { response: z.object({ jobId: z.string() }), created: true } as const;
