import { describe, expect, it, vi } from "vitest";
import { db, pool } from "@/lib/db";
import { DEFAULT_TENANT, type RequestContext } from "@/lib/context/request-context";
import { ensureSource } from "@/lib/ingest/sources";
import { createCheckpoint, onBeforeCheckpoint } from "@/lib/ledger/create-checkpoint";
import { verifyLedger } from "@/lib/ledger/verify-ledger";
import { AUDIT_PLATFORM, drainAuditFlush, flushAuditToLedger } from "./flush-audit-to-ledger";
import { csvCell } from "./csv-cell";
import { exportAudit } from "./export-audit";
import { auditListQuery, listAudit } from "./list-audit";
import { recordAudit } from "./record-audit";
import { ingestFixture } from "@/test/factories";

// An actor with no user row behind it: the entries must still carry its email, address and user agent.
const ctx: RequestContext = {
  tenantId: DEFAULT_TENANT,
  actor: { kind: "user", id: null, email: "auditor@audit.test", role: "auditor", ip: "198.51.100.4", userAgent: "vitest/agent" },
};

describe("the audit trail in the ledger", () => {
  it("appends every entry once, in id order, as its JSON, and the ledger verifies", async () => {
    // Interleaved with an ingest: the checkpoint the ingest signs flushes the entries committed before it (the
    // view, and the ingest's own ingest.batch) and covers them; the two entries after it wait for the next flush.
    await recordAudit({ ctx, resourceType: "session", resourceId: "s-1", details: { type: "view.session", id: "s-1" } });
    const ingest = await ingestFixture("okta", "okta-system-log-page.json", "okta.json");
    expect(ingest.stored).toBeGreaterThan(0);
    const checkpoint = (await pool().query<{ n: string }>(`SELECT "treeSize"::text AS n FROM ledger_checkpoint ORDER BY id DESC LIMIT 1`))
      .rows[0];
    expect(Number(checkpoint.n)).toBe(ingest.stored + 2);
    await recordAudit({ ctx, resourceType: "identity", resourceId: "i-1", details: { type: "view.identity", id: "i-1" } });
    await db().$transaction(async (tx) => {
      await recordAudit({ ctx, resourceType: "case", resourceId: "c-1", details: { type: "view.case", id: "c-1" } }, tx);
    });
    const entries = await db().auditLog.findMany({ orderBy: { id: "asc" } });
    expect(entries.map((e) => e.action)).toEqual(["view.session", "ingest.batch", "view.identity", "view.case"]);
    expect(entries.map((e) => e.rawRecordId !== null)).toEqual([true, true, false, false]);
    const leavesBefore = ingest.stored;

    expect(await flushAuditToLedger()).toBe(2);
    expect(await flushAuditToLedger()).toBe(0);

    const rows = (
      await pool().query<{ id: string; rawRecordId: string; leafIndex: string; payload: Buffer; platform: string }>(
        `SELECT a.id::text AS id, a."rawRecordId"::text AS "rawRecordId", r."leafIndex"::text AS "leafIndex", r.payload, s.platform
           FROM audit_log a JOIN raw_record r ON r.id = a."rawRecordId" JOIN source s ON s.id = r."sourceId" ORDER BY a.id`,
      )
    ).rows;
    expect(rows).toHaveLength(4);
    // Leaves follow the ingest's, in audit id order.
    expect(rows.map((r) => Number(r.leafIndex))).toEqual([0, 1, 2, 3].map((i) => leavesBefore + i));
    expect(new Set(rows.map((r) => r.platform))).toEqual(new Set([AUDIT_PLATFORM]));
    for (const [i, r] of rows.entries()) {
      const e = entries[i];
      expect(JSON.parse(r.payload.toString("utf8"))).toEqual({
        id: e.id.toString(),
        at: e.at.toISOString(),
        actorId: null,
        actorEmail: e.actorEmail,
        action: e.action,
        resourceType: e.resourceType,
        resourceId: e.resourceId,
        ip: e.ip,
        userAgent: e.userAgent,
        details: e.details,
      });
    }
    expect(JSON.parse(rows[0].payload.toString("utf8"))).toMatchObject({
      actorEmail: "auditor@audit.test",
      ip: "198.51.100.4",
      details: { type: "view.session", id: "s-1" },
    });
    // The audit source makes raw records only, never events (sessions and correlation never see it).
    const events = await pool().query(`SELECT count(*)::int AS n FROM event e JOIN source s ON s.id = e."sourceId" WHERE s.platform = $1`, [
      AUDIT_PLATFORM,
    ]);
    expect(events.rows[0].n).toBe(0);

    const report = await verifyLedger();
    expect(report.errors).toEqual([]);
    expect(report.leaves).toBe(leavesBefore + 4);
    // No other platform can feed the audit source by naming it.
    await expect(ensureSource({ platform: "okta", name: AUDIT_PLATFORM })).rejects.toThrow(/reserved/);
    expect((await ensureSource({ platform: "okta" })).platform).toBe("okta");
  });

  it("lists with filters and exports CSV and NDJSON, auditing the export", async () => {
    const views = await listAudit({ query: auditListQuery.parse({ action: "view" }) });
    expect(views.items.map((e) => e.action).sort()).toEqual(["view.case", "view.identity", "view.session"]);
    expect(views.items.every((e) => e.leafIndex !== null)).toBe(true);
    expect((await listAudit({ query: auditListQuery.parse({ q: "i-1" }) })).items.map((e) => e.action)).toEqual(["view.identity"]);
    expect((await listAudit({ query: auditListQuery.parse({ actor: "nobody" }) })).total).toBe(0);
    // LIKE's wildcards in a filter match literally.
    expect((await listAudit({ query: auditListQuery.parse({ actor: "%" }) })).total).toBe(0);
    expect((await listAudit({ query: auditListQuery.parse({ action: "vie_" }) })).total).toBe(0);
    const asc = await listAudit({ query: auditListQuery.parse({ sort: "action", dir: "asc" }) });
    expect(asc.items.map((e) => e.action)).toEqual([...asc.items.map((e) => e.action)].sort());

    const csv = await exportAudit({ format: "csv", filters: { action: "view" }, ctx });
    expect(csv.count).toBe(3);
    const text = await new Response(csv.stream).text();
    const lines = text.trim().split("\n");
    expect(lines[0]).toBe("id,at,actorEmail,actorId,action,resourceType,resourceId,ip,userAgent,leafIndex,details");
    expect(lines.slice(1).map((l) => l.split(",")[4])).toEqual(["view.session", "view.identity", "view.case"]);

    const nd = await exportAudit({ format: "ndjson", filters: { action: "audit.exported" }, ctx });
    const exported = (await new Response(nd.stream).text())
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { details: { format: string; count: number } });
    // The CSV export is in the trail; the NDJSON export's own entry is not in its own file (count = lines), but is in the next.
    expect(nd.count).toBe(1);
    expect(exported.map((e) => [e.details.format, e.details.count])).toEqual([["csv", 3]]);
    const all = await listAudit({ query: auditListQuery.parse({ action: "audit.exported", sort: "at", dir: "asc" }) });
    expect(all.items.map((e) => (e.details as { format: string }).format)).toEqual(["csv", "ndjson"]);
    expect(all.items.every((e) => e.ip === "198.51.100.4" && e.leafIndex !== null)).toBe(true);
    expect((await verifyLedger()).ok).toBe(true);
  });

  it("flushes pending entries before every checkpoint is signed, and signs even when a flush fails", async () => {
    await recordAudit({ ctx, resourceType: "case", resourceId: "c-cp", details: { type: "view.case", id: "c-cp" } });
    const pending = await db().auditLog.findFirstOrThrow({ where: { resourceId: "c-cp" } });
    expect(pending.rawRecordId).toBeNull();
    const cp = await createCheckpoint({});
    expect(cp.created).toBe(true);
    const flushed = await pool().query<{ leafIndex: string }>(
      `SELECT r."leafIndex"::text AS "leafIndex" FROM audit_log a JOIN raw_record r ON r.id = a."rawRecordId" WHERE a.id = $1`,
      [pending.id],
    );
    // In the ledger, and the last leaf the new checkpoint covers.
    expect(Number(flushed.rows[0].leafIndex)).toBe(cp.treeSize - 1);

    // A flush that fails is logged, and the checkpoint is signed all the same (here over the entry the audit flush,
    // which runs first, appended).
    const errors: string[] = [];
    const spy = vi.spyOn(console, "error").mockImplementation((m: string) => void errors.push(String(m)));
    const off = onBeforeCheckpoint(() => Promise.reject(new Error("the database went away (test)")));
    try {
      await recordAudit({ ctx, resourceType: "case", resourceId: "c-cp2", details: { type: "view.case", id: "c-cp2" } });
      const next = await createCheckpoint({});
      expect(next).toMatchObject({ created: true, treeSize: cp.treeSize + 1 });
      expect(errors.some((m) => m.includes("the database went away (test)"))).toBe(true);
    } finally {
      off();
      spy.mockRestore();
    }
    expect((await verifyLedger()).ok).toBe(true);
  });

  it("appends each entry exactly once when flushes run concurrently", async () => {
    for (let i = 0; i < 25; i++)
      await recordAudit({ ctx, resourceType: "case", resourceId: `c-${i}`, details: { type: "view.case", id: `c-${i}` } });
    const counts = await Promise.all([flushAuditToLedger(), flushAuditToLedger(), flushAuditToLedger()]);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(25);
    const dup = await pool().query(`SELECT "rawRecordId", count(*) FROM audit_log GROUP BY 1 HAVING count(*) > 1`);
    expect(dup.rows).toEqual([]);
    expect((await pool().query(`SELECT count(*)::int AS n FROM audit_log WHERE "rawRecordId" IS NULL`)).rows[0].n).toBe(0);
    expect((await verifyLedger()).ok).toBe(true);
  });
});

describe("csvCell", () => {
  it("quotes separators and quotes, and defuses spreadsheet formulas", () => {
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell('a,"b"')).toBe('"a,""b"""');
    expect(csvCell("=HYPERLINK(1)")).toBe(`"'=HYPERLINK(1)"`);
    expect(csvCell(null)).toBe("");
    expect(csvCell({ a: 1 })).toBe('"{""a"":1}"');
  });
});

describe("drainAuditFlush (a process closing its database)", () => {
  it("appends the entries a pending timer was waiting for at once, and leaves no timer behind", async () => {
    const before = process.env.SESSIONPROOF_AUDIT_AUTOFLUSH;
    process.env.SESSIONPROOF_AUDIT_AUTOFLUSH = "1";
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      await flushAuditToLedger();
      const others = vi.getTimerCount(); // timers of the database clients, not ours
      await recordAudit({ ctx, resourceType: "session", resourceId: "s-drain", details: { type: "view.session", id: "s-drain" } });
      expect(vi.getTimerCount()).toBe(others + 2); // the debounced flush and the later sweep
      await drainAuditFlush();
      expect(vi.getTimerCount()).toBeLessThanOrEqual(others);
      const row = await db().auditLog.findFirstOrThrow({ where: { resourceId: "s-drain" } });
      expect(row.rawRecordId).not.toBeNull();
    } finally {
      vi.useRealTimers();
      if (before === undefined) delete process.env.SESSIONPROOF_AUDIT_AUTOFLUSH;
      else process.env.SESSIONPROOF_AUDIT_AUTOFLUSH = before;
    }
  });
});
