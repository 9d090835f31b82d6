import { z } from "zod";

// Any subset of the thresholds (lib/compliance/thresholds.ts); the others keep their current value. The values are
// checked against the full schema after the merge, so an out-of-range value is a 422 naming its field.
export const thresholdsPatch = z.record(z.string(), z.unknown(), { message: "Send the thresholds as a JSON object." });
export const setComplianceThresholdsContract = { body: thresholdsPatch };
