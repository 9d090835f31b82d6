import { db } from "@/lib/db";
import { recordAudit } from "@/lib/audit/record-audit";
import type { RequestContext } from "@/lib/context/request-context";
import { GOVERNANCE_SETTINGS_KEY, governanceSettingsOf, governanceSettingsSchema, type GovernanceSettings } from "./settings";
import { governanceSettingsInput } from "./set-governance-settings.types";

// Changes some governance settings (the rest keep their value); the audit entry (settings.changed, with the
// effective settings before and after) commits with the change. The checks use them from the next analysis run.
export async function setGovernanceSettings({ ctx, input }: { ctx: RequestContext; input: unknown }): Promise<GovernanceSettings> {
  const patch = governanceSettingsInput.parse(input);
  return db().$transaction(async (tx) => {
    const before = governanceSettingsOf((await tx.setting.findUnique({ where: { key: GOVERNANCE_SETTINGS_KEY } }))?.value);
    const after = governanceSettingsSchema.parse({ ...before, ...patch, jitRequired: { ...before.jitRequired, ...patch.jitRequired } });
    await tx.setting.upsert({
      where: { key: GOVERNANCE_SETTINGS_KEY },
      create: { key: GOVERNANCE_SETTINGS_KEY, value: after },
      update: { value: after },
    });
    await recordAudit(
      {
        ctx,
        resourceType: "setting",
        resourceId: GOVERNANCE_SETTINGS_KEY,
        details: { type: "settings.changed", key: GOVERNANCE_SETTINGS_KEY, before, after },
      },
      tx,
    );
    return after;
  });
}
