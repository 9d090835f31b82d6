import { z } from "zod";
import { readJson, userRoute } from "@/lib/api/handler";
import { listHolds } from "@/lib/retention/list-holds";
import { placeHold } from "@/lib/retention/place-hold";

const query = z.object({ caseId: z.guid({ message: "not a case id" }).optional() });

// GET /api/v1/holds - legal holds (active first) with scope, reason, who and when, and how many raw records each covers
export const GET = userRoute("GET /api/v1/holds", async ({ req }) => {
  const { caseId } = query.parse(Object.fromEntries(new URL(req.url).searchParams));
  return { holds: await listHolds({ caseId }) };
});

// POST /api/v1/holds - place a hold: {caseId, reason} or {sourceId, rangeStart?, rangeEnd?, reason}
export const POST = userRoute("POST /api/v1/holds", async ({ req, ctx }) => {
  return placeHold({ ctx, input: await readJson(req) });
});
