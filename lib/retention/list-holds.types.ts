import { z } from "zod";

export const listHoldsContract = { query: z.object({ caseId: z.guid({ message: "not a case id" }).optional() }) };
