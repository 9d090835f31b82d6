import { apiRoute } from "@/lib/api/handler";
import { getConsistencyProof } from "@/lib/ledger/consistency-proofs";

// GET /api/v1/ledger/consistency - RFC 9162 consistency proof between two signed checkpoints (by tree size); public
export const GET = apiRoute("GET /api/v1/ledger/consistency", async ({ query }) => getConsistencyProof({ from: query.from, to: query.to }));
