import { z } from "zod";
import { wholeListResult } from "@/lib/list-result";

/** A platform this build can ingest, with the shapes it reads. */
export const platformInfo = z.object({ id: z.string(), label: z.string(), formats: z.array(z.string()) });
export type PlatformInfo = z.infer<typeof platformInfo>;

// GET /api/v1/ingest/platforms: every registered platform.
export const describePlatformsContract = { response: wholeListResult(platformInfo) };
