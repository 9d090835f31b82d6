import { z } from "zod";
import { CHECK_STATUSES, type GovernanceRunCounts } from "./types";

const count = z.number().int().min(0);
/** Every status, with how many checks have it. */
const byStatus = z.record(z.enum(CHECK_STATUSES), count);

/** What a governance run reports (runGovernanceChecks), e.g. in the answer of POST /api/v1/correlation. */
export const governanceRunCounts = z.object({
  checks: count,
  byStatus,
  approved: count,
  insideWindow: count,
  outsideWindow: count,
  grantBroader: count,
  withPolicy: count,
});

// GovernanceRunCounts (./types) is what runGovernanceChecks returns; this schema must describe exactly that type.
type Counts = z.infer<typeof governanceRunCounts>;
const _agrees: [GovernanceRunCounts, Counts] extends [Counts, GovernanceRunCounts] ? true : never = true;
