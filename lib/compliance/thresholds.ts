import { db } from "@/lib/db";
import { complianceThresholdsInput, type ComplianceThresholds } from "./thresholds.types";

// The thresholds a measured population must meet for a control to show "sufficient evidence", kept in the `setting`
// table under one key so a compliance manager can set them without a deploy (the schema: ./thresholds.types.ts); a
// missing or malformed setting falls back to the defaults (a bad setting must not blank the compliance views).
export const COMPLIANCE_THRESHOLDS_KEY = "compliance.thresholds";

export { complianceThresholdsInput, type ComplianceThresholds } from "./thresholds.types";

export const DEFAULT_COMPLIANCE_THRESHOLDS: ComplianceThresholds = complianceThresholdsInput.parse({});

/** The configured thresholds merged over the defaults. */
export async function getComplianceThresholds(): Promise<ComplianceThresholds> {
  const row = await db().setting.findUnique({ where: { key: COMPLIANCE_THRESHOLDS_KEY } });
  const parsed = complianceThresholdsInput.safeParse(row?.value ?? {});
  return parsed.success ? parsed.data : DEFAULT_COMPLIANCE_THRESHOLDS;
}
