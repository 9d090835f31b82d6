import { z } from "zod";
import { purgeJobView } from "./types";

// GET /api/v1/retention/jobs/{id}: a purge job's status, progress and result.
export const getPurgeJobContract = { params: z.object({ id: z.guid({ message: "not a job id" }) }), response: purgeJobView };
