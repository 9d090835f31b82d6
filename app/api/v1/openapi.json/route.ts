import { userRoute } from "@/lib/api/handler";
import { openApiDocument } from "@/lib/api/openapi";

// GET /api/v1/openapi.json - the OpenAPI 3.1 description of this API, generated from the route contracts
export const GET = userRoute("GET /api/v1/openapi.json", async () => openApiDocument());
