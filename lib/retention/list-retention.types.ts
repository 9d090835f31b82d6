import { z } from "zod";
import { holdView, purgeJobView, sourceRetention } from "./types";

// GET /api/v1/retention: the policy per source, every legal hold, and the latest purge run.
export const listRetentionContract = {
  response: z.object({ sources: z.array(sourceRetention), holds: z.array(holdView), lastPurge: purgeJobView.nullable() }),
};
