import { describe, expect, it } from "vitest";
import { insertAudit } from "@/lib/audit/insert-audit";
import { db, pool } from "@/lib/db";
import { withTransaction } from "./transaction";

const count = async (action: string) =>
  Number((await pool().query(`SELECT count(*) FROM audit_log WHERE action = $1`, [action])).rows[0].count);

describe("withTransaction", () => {
  it("commits the work, rolls it back when it throws, and returns every client to the pool", async () => {
    const idle = pool().totalCount - pool().idleCount;
    const r = await withTransaction(async (c) => {
      await insertAudit(c, { details: { type: "auth.sign_out" } });
      return (await c.query<{ v: string }>(`SELECT current_setting('transaction_isolation') AS v`)).rows[0].v;
    });
    expect(r).toBe("read committed");
    expect(await count("auth.sign_out")).toBe(1);

    await expect(
      withTransaction(async (c) => {
        await insertAudit(c, { details: { type: "auth.sign_out" } });
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(await count("auth.sign_out")).toBe(1);
    expect(pool().totalCount - pool().idleCount).toBe(idle);
  });

  it("sets the isolation level and read-only mode, and takes the advisory lock for the transaction", async () => {
    const seen = await withTransaction(
      async (c) => {
        const level = (await c.query<{ v: string }>(`SELECT current_setting('transaction_isolation') AS v`)).rows[0].v;
        const ro = (await c.query<{ v: string }>(`SELECT current_setting('transaction_read_only') AS v`)).rows[0].v;
        const locks = (
          await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()`)
        ).rows[0].n;
        return { level, ro, locks };
      },
      { isolation: "REPEATABLE READ", readOnly: true, lock: "sessionproof.test" },
    );
    expect(seen).toEqual({ level: "repeatable read", ro: "on", locks: 1 });
  });

  it("writes the audit entry through a Prisma transaction client the same way", async () => {
    await expect(
      db().$transaction(async (tx) => {
        await insertAudit(tx, {
          actorEmail: "a@example.test",
          userAgent: "x".repeat(600),
          details: { type: "auth.sign_in", provider: "test" },
        });
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    expect(await count("auth.sign_in")).toBe(0);
    await db().$transaction(async (tx) => {
      await insertAudit(tx, {
        actorEmail: "a@example.test",
        userAgent: "x".repeat(600),
        details: { type: "auth.sign_in", provider: "test" },
      });
    });
    const row = await db().auditLog.findFirstOrThrow({ where: { action: "auth.sign_in" } });
    expect([row.actorEmail, row.userAgent?.length, row.details, row.tenantId]).toEqual([
      "a@example.test",
      512,
      { type: "auth.sign_in", provider: "test" },
      "default",
    ]);
  });
});
