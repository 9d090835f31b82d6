import { apiRoute } from "@/lib/api/handler";
import { checkHealth } from "@/lib/system/check-health";

// GET /api/v1/health - liveness and database reachability; public, reveals nothing else. 503 when the database
// cannot be reached, so that a load balancer or monitor takes the instance out rather than reading "degraded" as up.
export const GET = apiRoute("GET /api/v1/health", async () => {
  const health = await checkHealth();
  if (health.status === "ok") return health;
  return Response.json(health, { status: 503, headers: { "Cache-Control": "no-store", "Retry-After": "10" } });
});
