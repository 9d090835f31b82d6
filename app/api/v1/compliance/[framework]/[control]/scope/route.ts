import { userRoute } from "@/lib/api/handler";
import { scopeInControl, scopeOutControl } from "@/lib/compliance/scope-control";

// PUT /api/v1/compliance/{framework}/{control}/scope - scope a control out of the assessment ("not applicable") with a reason
export const PUT = userRoute("PUT /api/v1/compliance/[framework]/[control]/scope", async ({ ctx, params, body }) =>
  scopeOutControl({ ctx, framework: params.framework, controlId: params.control, input: body }),
);

// DELETE /api/v1/compliance/{framework}/{control}/scope - scope the control back in, with a reason
export const DELETE = userRoute("DELETE /api/v1/compliance/[framework]/[control]/scope", async ({ ctx, params, body }) =>
  scopeInControl({ ctx, framework: params.framework, controlId: params.control, input: body }),
);
