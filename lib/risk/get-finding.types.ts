import { z } from "zod";

export const findingIdParams = z.object({ id: z.guid({ message: "not a finding id" }) });
export const getFindingContract = { params: findingIdParams };
