import { z } from "zod";

export const getPurgeJobContract = { params: z.object({ id: z.guid({ message: "not a job id" }) }) };
