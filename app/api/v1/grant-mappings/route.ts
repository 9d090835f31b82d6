import { userRoute } from "@/lib/api/handler";
import { created, wholeList } from "@/lib/api/responses";
import { listGrantMappings, saveGrantMapping } from "@/lib/ingest/grant-mappings";

// GET /api/v1/grant-mappings - the declared grant mappings (how grant exports of tools without a reader are read)
export const GET = userRoute("GET /api/v1/grant-mappings", async () => wholeList(await listGrantMappings()));

// POST /api/v1/grant-mappings - save a mapping (a mapping of the same name is replaced)
export const POST = userRoute("POST /api/v1/grant-mappings", async ({ ctx, body }) =>
  created(await saveGrantMapping({ ctx, input: body })),
);
