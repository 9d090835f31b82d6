import { describe, expect, it } from "vitest";
import { Readable } from "node:stream";
import { system } from "@/lib/context/request-context";
import { testContext } from "@/lib/context/testing";
import { db } from "@/lib/db";
import { github } from "../../scripts/bench/synthetic";
import { ingestStream } from "./ingest-stream";
import { exportQuarantine, listQuarantine, reprocessQuarantine } from "./quarantine";

describe("quarantine", () => {
  it("lists, exports and re-processes quarantined records; fixed records enter the ledger", async () => {
    const good = JSON.stringify(github(1));
    const lines = [good, "{broken", JSON.stringify({ hello: "world" })];
    const r = await ingestStream({
      input: Readable.from([Buffer.from(lines.join("\n") + "\n")]),
      fileName: "q.ndjson",
      via: "cli",
      platform: "github",
      ctx: system(),
    });
    expect(r).toMatchObject({ read: 3, stored: 1, quarantined: 2 });

    const list = await listQuarantine({ filter: { batchId: r.batchId } });
    expect(list.total).toBe(2);
    expect(list.items.map((i) => i.position).sort()).toEqual([1, 2]);
    expect(list.items.find((i) => i.position === 1)?.preview).toBe("{broken");

    const out: string[] = [];
    for await (const line of exportQuarantine({ filter: { batchId: r.batchId } })) out.push(line);
    const parsed = out.map((l) => JSON.parse(l));
    expect(parsed).toEqual([
      { file: "q.ndjson", position: 1, reason: expect.any(String), raw: "{broken" },
      { file: "q.ndjson", position: 2, reason: expect.any(String), raw: JSON.stringify({ hello: "world" }) },
    ]);

    // "After a parser fix": here, a record whose quarantine reason no longer applies. We simulate the fix by
    // replacing the stored raw bytes of one quarantined record with a record the current parser accepts
    // (quarantine rows are not ledger rows, so this is allowed), then re-process.
    const target = await db().quarantinedRecord.findFirstOrThrow({ where: { batchId: r.batchId, position: 2 } });
    await db().quarantinedRecord.update({ where: { id: target.id }, data: { raw: Buffer.from(JSON.stringify(github(77))) } });
    const res = await reprocessQuarantine({ filter: { batchId: r.batchId }, ctx: testContext({ email: "t@example.test" }) });
    expect(res).toEqual({ attempted: 2, resolved: 1, stillQuarantined: 1, untrusted: 0 });
    const fixed = await db().quarantinedRecord.findUniqueOrThrow({ where: { id: target.id } });
    expect(fixed.resolvedRawRecordId).not.toBeNull();
    const raw = await db().rawRecord.findUniqueOrThrow({ where: { id: fixed.resolvedRawRecordId! } });
    expect(raw).toMatchObject({ fileName: "q.ndjson", batchId: r.batchId });
    expect(Number(raw.position)).toBe(2);
    expect(await db().event.count({ where: { rawRecordId: raw.id } })).toBe(1);
    expect((await listQuarantine({ filter: { batchId: r.batchId } })).total).toBe(1);
    // The batch's own counts stay as they were read; the later resolution is reported beside them.
    expect(await db().ingestBatch.findUniqueOrThrow({ where: { id: r.batchId } })).toMatchObject({
      readCount: 3,
      storedCount: 1,
      quarantinedCount: 2,
    });
  });
});
