import { z } from "zod";
import { createApiTokenInput } from "./api-tokens";

export const createApiTokenContract = { body: createApiTokenInput };
export const revokeApiTokenContract = { params: z.object({ id: z.uuid("Not a token id.") }) };
