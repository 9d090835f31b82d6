import { userRoute } from "@/lib/api/handler";
import { created } from "@/lib/api/responses";
import { startPurge } from "@/lib/retention/purge-expired";

// POST /api/v1/retention/purge - start a purge of expired raw payloads (held ones are kept); poll the returned job
export const POST = userRoute("POST /api/v1/retention/purge", async ({ ctx }) => {
  const job = await startPurge({ ctx });
  return created(job, `/api/v1/retention/jobs/${job.jobId}`);
});
