import { z } from "zod";
import { readJson, userRoute } from "@/lib/api/handler";
import { setRetentionPolicy } from "@/lib/retention/set-retention-policy";

const params = z.object({ sourceId: z.guid({ message: "not a source id" }) });

// PUT /api/v1/retention/policies/{sourceId} - set a source's retention in days ({days: n}) or remove it ({days: null})
export const PUT = userRoute<{ sourceId: string }>("PUT /api/v1/retention/policies/[sourceId]", async ({ req, ctx, params: p }) => {
  const { sourceId } = params.parse(p);
  return setRetentionPolicy({ ctx, sourceId, input: await readJson(req) });
});
