import { userRoute, readJson } from "@/lib/api/handler";
import { quarantineFilter, reprocessQuarantine } from "@/lib/ingest/quarantine";

// POST /api/v1/ingest/quarantine/reprocess - run the current parsers over quarantined records again
export const POST = userRoute("POST /api/v1/ingest/quarantine/reprocess", async ({ req, ctx }) =>
  reprocessQuarantine({
    filter: quarantineFilter.parse(await readJson(req)),
    ctx,
  }),
);
