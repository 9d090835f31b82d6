import { z } from "zod";

// The case id in /api/v1/cases/{id}/...: every case route names the case the same way.
export const caseIdParams = z.object({ id: z.guid({ message: "not a case id" }) });
export const getCaseContract = { params: caseIdParams };
