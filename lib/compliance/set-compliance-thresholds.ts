import { db } from "@/lib/db";
import { recordAudit } from "@/lib/audit/record-audit";
import type { RequestContext } from "@/lib/context/request-context";
import type { ThresholdsPatch } from "./set-compliance-thresholds.types";
import { COMPLIANCE_THRESHOLDS_KEY, complianceThresholdsInput, getComplianceThresholds, type ComplianceThresholds } from "./thresholds";

// Changes the control-status thresholds (a partial input keeps the other values); the audit entry (settings.changed,
// before/after) commits with the change. `input` is parsed by thresholdsPatch (the route contract, or the caller).
export async function setComplianceThresholds({
  ctx,
  input,
}: {
  ctx: RequestContext;
  input: ThresholdsPatch;
}): Promise<ComplianceThresholds> {
  const before = await getComplianceThresholds();
  // The given keys over the current values, then the whole set checked (a ZodError names the bad field).
  const after = complianceThresholdsInput.parse({ ...before, ...input });
  await db().$transaction(async (tx) => {
    await tx.setting.upsert({
      where: { key: COMPLIANCE_THRESHOLDS_KEY },
      create: { key: COMPLIANCE_THRESHOLDS_KEY, value: after },
      update: { value: after },
    });
    await recordAudit(
      {
        ctx,
        resourceType: "setting",
        resourceId: COMPLIANCE_THRESHOLDS_KEY,
        details: { type: "settings.changed", key: COMPLIANCE_THRESHOLDS_KEY, before, after },
      },
      tx,
    );
  });
  return after;
}
