import { z } from "zod";
import { readJson, userRoute } from "@/lib/api/handler";
import { releaseHold } from "@/lib/retention/release-hold";

const params = z.object({ id: z.guid({ message: "not a hold id" }) });

// POST /api/v1/holds/{id}/release - release a hold with a reason ({reason})
export const POST = userRoute<{ id: string }>("POST /api/v1/holds/[id]/release", async ({ req, ctx, params: p }) => {
  const { id } = params.parse(p);
  return releaseHold({ ctx, holdId: id, input: await readJson(req) });
});
