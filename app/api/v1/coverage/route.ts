import { userRoute } from "@/lib/api/handler";
import { getCoverage } from "@/lib/coverage/get-coverage";

// GET /api/v1/coverage - per-platform field coverage, join-ability, retention horizon and gaps
export const GET = userRoute("GET /api/v1/coverage", async () => getCoverage());
