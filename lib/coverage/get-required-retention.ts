import { db } from "@/lib/db";
import { DEFAULT_REQUIRED_RETENTION_DAYS, REQUIRED_RETENTION_KEY, requiredRetentionInput } from "./types";

// The organisation's required retention in days (setting "coverage.requiredRetentionDays"). A missing or
// malformed value falls back to the default rather than breaking the Coverage page.
export async function getRequiredRetention(): Promise<number> {
  const row = await db().setting.findUnique({ where: { key: REQUIRED_RETENTION_KEY } });
  if (!row) return DEFAULT_REQUIRED_RETENTION_DAYS;
  const parsed = requiredRetentionInput.safeParse({ requiredRetentionDays: row.value });
  return parsed.success ? parsed.data.requiredRetentionDays : DEFAULT_REQUIRED_RETENTION_DAYS;
}
