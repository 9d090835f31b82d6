import { z } from "zod";
import { retentionDaysInput } from "./types";

// PUT /api/v1/retention/policies/{sourceId}: answers the policy as stored (days null: kept forever).
export const setRetentionPolicyContract = {
  params: z.object({ sourceId: z.guid({ message: "not a source id" }) }),
  body: retentionDaysInput,
  response: z.object({ sourceId: z.string(), days: z.number().int().nullable() }),
};
