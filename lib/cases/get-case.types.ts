import { z } from "zod";
import { caseDetail } from "./types";

// The case id in /api/v1/cases/{id}/...: every case route names the case the same way.
export const caseIdParams = z.object({ id: z.guid({ message: "not a case id" }) });

// GET /api/v1/cases/{id}: the case with its items, notes, tasks and history.
export const getCaseContract = { params: caseIdParams, response: caseDetail };
