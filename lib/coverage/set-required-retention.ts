import { db } from "@/lib/db";
import { recordAudit } from "@/lib/audit/record-audit";
import type { RequestContext } from "@/lib/context/request-context";
import { DEFAULT_REQUIRED_RETENTION_DAYS, REQUIRED_RETENTION_KEY, type RequiredRetentionInput } from "./types";

// Changes the required retention; the audit entry (settings.changed, before/after) commits with the change.
// `input` is parsed by requiredRetentionInput (the route contract, or the caller).
export async function setRequiredRetention({
  ctx,
  input: { requiredRetentionDays },
}: {
  ctx: RequestContext;
  input: RequiredRetentionInput;
}): Promise<RequiredRetentionInput> {
  await db().$transaction(async (tx) => {
    const before = await tx.setting.findUnique({ where: { key: REQUIRED_RETENTION_KEY } });
    await tx.setting.upsert({
      where: { key: REQUIRED_RETENTION_KEY },
      create: { key: REQUIRED_RETENTION_KEY, value: requiredRetentionDays },
      update: { value: requiredRetentionDays },
    });
    await recordAudit(
      {
        ctx,
        resourceType: "setting",
        resourceId: REQUIRED_RETENTION_KEY,
        details: {
          type: "settings.changed",
          key: REQUIRED_RETENTION_KEY,
          // The effective value before: the default when the setting was never written.
          before: before ? before.value : DEFAULT_REQUIRED_RETENTION_DAYS,
          after: requiredRetentionDays,
        },
      },
      tx,
    );
  });
  return { requiredRetentionDays };
}
