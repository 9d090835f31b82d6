import { z } from "zod";
import { userRoute } from "@/lib/api/handler";
import { AppError } from "@/lib/errors";
import { getPurgeJob } from "@/lib/retention/purge-expired";

const params = z.object({ id: z.guid({ message: "not a job id" }) });

// GET /api/v1/retention/jobs/{id} - a purge job's status, progress and result
export const GET = userRoute<{ id: string }>("GET /api/v1/retention/jobs/[id]", async ({ params: p }) => {
  const { id } = params.parse(p);
  const job = await getPurgeJob({ id });
  if (!job) throw new AppError("NOT_FOUND", "No such purge job.");
  return job;
});
