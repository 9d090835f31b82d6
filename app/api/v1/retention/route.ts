import { userRoute } from "@/lib/api/handler";
import { listRetention } from "@/lib/retention/list-retention";
import { listHolds } from "@/lib/retention/list-holds";
import { latestPurgeJob } from "@/lib/retention/purge-expired";

// GET /api/v1/retention - retention policy per source, every legal hold, and the latest purge run
export const GET = userRoute("GET /api/v1/retention", async () => {
  const [sources, holds, lastPurge] = await Promise.all([listRetention(), listHolds(), latestPurgeJob()]);
  return { sources, holds, lastPurge };
});
