import { z } from "zod";
import { retentionDaysInput } from "./types";

export const setRetentionPolicyContract = {
  params: z.object({ sourceId: z.guid({ message: "not a source id" }) }),
  body: retentionDaysInput,
};
