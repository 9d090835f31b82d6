import { userRoute } from "@/lib/api/handler";
import { requireFramework } from "@/lib/compliance/catalogs";
import { getFrameworkStatus } from "@/lib/compliance/get-framework-status";

// GET /api/v1/compliance/{framework}?from=&to= - per control over the audit period: status and the evidence behind it, with reasons
export const GET = userRoute("GET /api/v1/compliance/[framework]", async ({ params, query }) =>
  getFrameworkStatus({ framework: requireFramework(params.framework), period: query }),
);
