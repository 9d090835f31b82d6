import { apiRoute } from "@/lib/api/handler";
import { checkHealth } from "@/lib/system/check-health";

// GET /api/v1/health - liveness and database reachability; public, reveals nothing else.
export const GET = apiRoute("GET /api/v1/health", async () => checkHealth());
