import { userRoute } from "@/lib/api/handler";
import { previewGrantMapping } from "@/lib/ingest/grant-mappings";

// POST /api/v1/grant-mappings/preview - the first records of an export read through a mapping; nothing is stored
export const POST = userRoute("POST /api/v1/grant-mappings/preview", async ({ body }) => previewGrantMapping({ input: body }));
