import { userRoute } from "@/lib/api/handler";
import { AppError } from "@/lib/errors";
import { getFinding } from "@/lib/risk/get-finding";

// GET /api/v1/findings/{id} - one finding: evidence, proving events, history
export const GET = userRoute("GET /api/v1/findings/[id]", async ({ params: { id } }) => {
  const finding = await getFinding({ id });
  if (!finding) throw new AppError("NOT_FOUND", "No such finding. Go back to the findings list.");
  return finding;
});
