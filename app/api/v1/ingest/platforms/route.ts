import { userRoute } from "@/lib/api/handler";
import { wholeList } from "@/lib/api/responses";
import { describePlatforms } from "@/lib/sources/registry";

// GET /api/v1/ingest/platforms - the platforms and formats this build can ingest
export const GET = userRoute("GET /api/v1/ingest/platforms", async () => wholeList(describePlatforms()));
