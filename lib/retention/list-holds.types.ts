import { z } from "zod";
import { wholeListResult } from "@/lib/list-result";
import { holdView } from "./types";

// GET /api/v1/holds: every legal hold (or a case's), whole and counted.
export const listHoldsContract = {
  query: z.object({ caseId: z.guid({ message: "not a case id" }).optional() }),
  response: wholeListResult(holdView),
};
