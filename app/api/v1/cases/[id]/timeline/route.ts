import { userRoute } from "@/lib/api/handler";
import { AppError } from "@/lib/errors";
import { getCaseTimeline } from "@/lib/cases/get-case-timeline";

// GET /api/v1/cases/{id}/timeline - evidence (event time, paged) and case activity (handling time) on one axis
export const GET = userRoute("GET /api/v1/cases/[id]/timeline", async ({ params: { id }, query }) => {
  const t = await getCaseTimeline({ caseId: id, ...query });
  if (!t) throw new AppError("NOT_FOUND", "No such case. Check the link, or find the case on the Cases page.");
  return t;
});
