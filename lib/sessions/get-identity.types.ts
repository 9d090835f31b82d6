import { z } from "zod";

export const getIdentityContract = { params: z.object({ id: z.guid({ message: "not an identity id" }) }) };
