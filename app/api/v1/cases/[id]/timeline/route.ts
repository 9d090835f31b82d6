import { z } from "zod";
import { userRoute } from "@/lib/api/handler";
import { AppError } from "@/lib/errors";
import { getCaseTimeline } from "@/lib/cases/get-case-timeline";
import { timelineQuery } from "@/lib/cases/types";

const params = z.object({ id: z.guid({ message: "not a case id" }) });

// GET /api/v1/cases/{id}/timeline - evidence (event time, paged) and case activity (handling time) on one axis
export const GET = userRoute<{ id: string }>("GET /api/v1/cases/[id]/timeline", async ({ req, params: p }) => {
  const { id } = params.parse(p);
  const q = timelineQuery.parse(Object.fromEntries(new URL(req.url).searchParams));
  const t = await getCaseTimeline({ caseId: id, ...q });
  if (!t) throw new AppError("NOT_FOUND", "No such case. Check the link, or find the case on the Cases page.");
  return t;
});
