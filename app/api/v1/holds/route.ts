import { userRoute } from "@/lib/api/handler";
import { created, wholeList } from "@/lib/api/responses";
import { listHolds } from "@/lib/retention/list-holds";
import { placeHold } from "@/lib/retention/place-hold";

// GET /api/v1/holds - legal holds (active first) with scope, reason, who and when, and how many raw records each covers
export const GET = userRoute("GET /api/v1/holds", async ({ query: { caseId } }) => wholeList(await listHolds({ caseId })));

// POST /api/v1/holds - place a hold: {caseId, reason} or {sourceId, rangeStart?, rangeEnd?, reason}
export const POST = userRoute("POST /api/v1/holds", async ({ ctx, body }) => created(await placeHold({ ctx, input: body })));
