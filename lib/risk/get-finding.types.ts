import { z } from "zod";
import { findingDetail } from "./types";

export const findingIdParams = z.object({ id: z.guid({ message: "not a finding id" }) });

// GET /api/v1/findings/{id}
export const getFindingContract = { params: findingIdParams, response: findingDetail };
