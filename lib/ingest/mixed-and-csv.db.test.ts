import fs from "node:fs";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { system } from "@/lib/context/request-context";
import { testContext } from "@/lib/context/testing";
import { db } from "@/lib/db";
import { fixturePath } from "@/lib/sources/testing/samples";
import { ingestStream } from "./ingest-stream";
import { reprocessQuarantine } from "./quarantine";

const read = (platform: string, file: string) => fs.readFileSync(fixturePath(platform, file));

describe("mixed exports and CSV rows", () => {
  it("a file of Entra ID logs that also holds Microsoft 365 audit records: each record goes to its own platform's source", async () => {
    const signIns = JSON.parse(read("entra", "graph-signins-page.json").toString()).value as unknown[];
    const m365 = JSON.parse(read("m365", "audit-general-content-blob-20250304.json").toString()) as unknown[];
    const mixed = [...signIns, ...m365.slice(0, 5)];
    const r = await ingestStream({
      input: Readable.from([Buffer.from(JSON.stringify(mixed))]),
      fileName: "mixed-export.json",
      via: "cli",
      ctx: system(),
    });
    expect(r).toMatchObject({ platform: "entra", read: mixed.length, stored: mixed.length, quarantined: 0 });
    const byPlatform = await db().event.groupBy({ by: ["platform"], _count: { _all: true }, orderBy: { platform: "asc" } });
    expect(byPlatform.map((g) => [g.platform, g._count._all])).toEqual([
      ["entra", signIns.length],
      ["m365", 5],
    ]);
  });

  it("re-processing a quarantined CSV row reads it against its file's header, not as JSON", async () => {
    const r = await ingestStream({
      input: Readable.from([read("pam-grants", "sessionproof-grants-2025-03.csv")]),
      fileName: "grants.csv",
      via: "cli",
      ctx: system(),
    });
    expect(r.quarantined).toBeGreaterThan(0);
    const batch = await db().ingestBatch.findUniqueOrThrow({ where: { id: r.batchId } });
    expect(batch.header).toMatch(/^grant_id,/);
    const before = await db().quarantinedRecord.findMany({ where: { batchId: r.batchId } });
    const again = await reprocessQuarantine({ filter: { batchId: r.batchId }, ctx: testContext({ email: "test@example.test" }) });
    expect(again).toMatchObject({ attempted: before.length, resolved: 0, stillQuarantined: before.length });
    const after = await db().quarantinedRecord.findMany({ where: { batchId: r.batchId }, orderBy: { id: "asc" } });
    // The same reasons as at ingest (the source's own refusal), never "not valid JSON".
    expect(after.map((q) => q.reason)).toEqual(before.map((q) => q.reason));
    for (const q of after) expect(q.reason).not.toMatch(/JSON/);
  });
});
