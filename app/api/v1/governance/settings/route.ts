import { userRoute } from "@/lib/api/handler";
import { setGovernanceSettings } from "@/lib/governance/set-governance-settings";

// PUT /api/v1/governance/settings - change the governance checks' settings (admin); used from the next analysis run
export const PUT = userRoute("PUT /api/v1/governance/settings", async ({ ctx, body }) => setGovernanceSettings({ ctx, input: body }));
