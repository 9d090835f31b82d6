import { userRoute } from "@/lib/api/handler";
import { listFindings } from "@/lib/risk/list-findings";

// GET /api/v1/findings - list risk findings (filters: rule, severity, status, platform, identity, session; sort; page)
export const GET = userRoute("GET /api/v1/findings", async ({ query }) => listFindings(query));
