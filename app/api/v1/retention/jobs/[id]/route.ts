import { userRoute } from "@/lib/api/handler";
import { AppError } from "@/lib/errors";
import { getPurgeJob } from "@/lib/retention/purge-expired";

// GET /api/v1/retention/jobs/{id} - a purge job's status, progress and result
export const GET = userRoute("GET /api/v1/retention/jobs/[id]", async ({ params: { id } }) => {
  const job = await getPurgeJob({ id });
  if (!job) throw new AppError("NOT_FOUND", "No such purge job.");
  return job;
});
