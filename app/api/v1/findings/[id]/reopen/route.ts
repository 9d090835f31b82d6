import { z } from "zod";
import { readJson, userRoute } from "@/lib/api/handler";
import { reopenFinding } from "@/lib/risk/dismiss-finding";

const params = z.object({ id: z.guid({ message: "not a finding id" }) });
const body = z.object({ reason: z.unknown() });

// POST /api/v1/findings/{id}/reopen - reopen a finding with a reason (kept in its history and the audit trail)
export const POST = userRoute<{ id: string }>("POST /api/v1/findings/[id]/reopen", async ({ req, ctx, params: p }) => {
  const { id } = params.parse(p);
  const { reason } = body.parse(await readJson(req));
  return reopenFinding({ id, reason, ctx });
});
