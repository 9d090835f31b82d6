import { z } from "zod";
import { userRoute } from "@/lib/api/handler";
import { AppError } from "@/lib/errors";
import { getFinding } from "@/lib/risk/get-finding";

const params = z.object({ id: z.guid({ message: "not a finding id" }) });

// GET /api/v1/findings/{id} - one finding: evidence, proving events, history
export const GET = userRoute<{ id: string }>("GET /api/v1/findings/[id]", async ({ params: p }) => {
  const { id } = params.parse(p);
  const finding = await getFinding({ id });
  if (!finding) throw new AppError("NOT_FOUND", "No such finding. Go back to the findings list.");
  return finding;
});
