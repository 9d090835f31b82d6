import { z } from "zod";
import { identityDetail } from "./types";

// GET /api/v1/identities/{id}
export const getIdentityContract = { params: z.object({ id: z.guid({ message: "not an identity id" }) }), response: identityDetail };
