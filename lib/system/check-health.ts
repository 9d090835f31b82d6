import { db } from "@/lib/db";
import type { Health } from "./check-health.types";

export type { Health } from "./check-health.types";

export async function checkHealth(_: Record<string, never> = {}): Promise<Health> {
  let database: Health["database"] = "ok";
  try {
    await db().$queryRaw`SELECT 1`;
  } catch {
    database = "unreachable";
  }
  return { status: database === "ok" ? "ok" : "degraded", database, time: new Date().toISOString() };
}
