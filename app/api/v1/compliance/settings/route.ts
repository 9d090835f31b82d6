import { userRoute } from "@/lib/api/handler";
import { setComplianceThresholds } from "@/lib/compliance/set-compliance-thresholds";
import { getComplianceThresholds } from "@/lib/compliance/thresholds";

// GET /api/v1/compliance/settings - the thresholds that make a control's evidence sufficient
export const GET = userRoute("GET /api/v1/compliance/settings", async () => getComplianceThresholds());

// PUT /api/v1/compliance/settings - change some of the thresholds (audited with before and after)
export const PUT = userRoute("PUT /api/v1/compliance/settings", async ({ ctx, body }) => setComplianceThresholds({ ctx, input: body }));
