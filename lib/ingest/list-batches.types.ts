import { z } from "zod";

export const listBatchesContract = { query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }) };
