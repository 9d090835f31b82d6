import { db } from "@/lib/db";
import type { Health } from "./check-health.types";

export type { Health } from "./check-health.types";

/** How long the database may take to answer SELECT 1 before it counts as unreachable. */
const DATABASE_TIMEOUT_MS = 3000;

export async function checkHealth({ timeoutMs = DATABASE_TIMEOUT_MS }: { timeoutMs?: number } = {}): Promise<Health> {
  let database: Health["database"] = "ok";
  let timer: NodeJS.Timeout | undefined;
  try {
    // A database that accepts connections but never answers (stopped with SIGSTOP, a full disk) must not hang the probe.
    await Promise.race([
      db().$queryRaw`SELECT 1`,
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error("timed out")), timeoutMs))),
    ]);
  } catch {
    database = "unreachable";
  } finally {
    clearTimeout(timer);
  }
  return { status: database === "ok" ? "ok" : "degraded", database, time: new Date().toISOString() };
}
