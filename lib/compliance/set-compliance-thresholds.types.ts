import { z } from "zod";
import { complianceThresholds } from "./thresholds.types";

// Any subset of the thresholds (lib/compliance/thresholds.types.ts); the others keep their current value. The values
// are checked against the full schema after the merge, so an out-of-range value is a 422 naming its field.
export const thresholdsPatch = z.record(z.string(), z.unknown(), { message: "Send the thresholds as a JSON object." });
export type ThresholdsPatch = z.output<typeof thresholdsPatch>;

// PUT /api/v1/compliance/settings: answers the thresholds in force after the change.
export const setComplianceThresholdsContract = { body: thresholdsPatch, response: complianceThresholds };
