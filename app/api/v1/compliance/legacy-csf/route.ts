import { userRoute } from "@/lib/api/handler";
import { lookupLegacyCsf } from "@/lib/compliance/lookup-legacy-csf";

// GET /api/v1/compliance/legacy-csf?id=PR.AC-1 - the CSF 2.0 ids a CSF 1.1 id moved to (official excerpt)
export const GET = userRoute("GET /api/v1/compliance/legacy-csf", async ({ query }) => lookupLegacyCsf(query));
