import { userRoute } from "@/lib/api/handler";
import { listFindings } from "@/lib/risk/list-findings";
import { findingsQuery } from "@/lib/risk/types";

// GET /api/v1/findings - list risk findings (filters: rule, severity, status, platform, identity, session; sort; page)
export const GET = userRoute("GET /api/v1/findings", async ({ req }) => {
  const q = findingsQuery.parse(Object.fromEntries(new URL(req.url).searchParams));
  return listFindings(q);
});
