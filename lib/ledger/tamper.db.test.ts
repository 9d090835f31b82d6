import { beforeAll, describe, expect, it } from "vitest";
import { pool } from "@/lib/db";
import { buildTamperFixture, runTamperCases, TAMPER_CASES, type TamperFixture, type TamperOutcome } from "./testing/tamper-cases";
import { verifyLedger } from "./verify-ledger";
import { ownerUrl } from "@/test/owner-db";

// The twelve database tamper cases (lib/ledger/testing/tamper-cases.ts, also `npm run bench -- tamper`): each is
// applied as a privileged database user with the triggers off, verified with and without the checkpoints published
// outside the database, and undone. Every one must be detected and must name (or locate to the record) what was
// changed. Before the append batches, event hashes, numbered checkpoints and the published log, seven of them
// passed `ledger verify` unnoticed (an edited event's IP, an edited actor column, a deleted last or middle
// checkpoint, the rollback, a forged append, an edited audit row) and a payload replaced with recomputed hashes was
// only located to the checkpoints over it. Switching off any one of the new checks fails its case here.

let fixture: TamperFixture;
const outcomes = new Map<string, TamperOutcome>();

beforeAll(async () => {
  fixture = await buildTamperFixture({ attackerUrl: ownerUrl() });
  for (const o of await runTamperCases({ fixture })) outcomes.set(o.id, o);
}, 600_000);

describe("the tamper fixture", () => {
  it("is a sound ledger of three checkpoints, with records after the last one not yet signed", async () => {
    expect(fixture.checkpoints.map((c) => c.seq)).toEqual([1, 2, 3]);
    const report = await verifyLedger({ against: fixture.log });
    expect(report.errors).toEqual([]);
    expect(report.published).toMatchObject({ checkpoints: 3, latestSeq: 3 });
    expect(report.unsigned?.leaves).toBeGreaterThan(0);
    expect(report.events).toBeGreaterThan(0);
    // Every event was hashed at ingest, over its exact stored text.
    const unhashed = await pool().query(`SELECT id FROM event WHERE "dataHash" IS DISTINCT FROM sha256(convert_to(data::text, 'UTF8'))`);
    expect(unhashed.rows).toEqual([]);
  });
});

describe("database tamper cases", () => {
  it.each(TAMPER_CASES.map((c) => [c.id, c.title]))("%s (%s) is detected, named, and undone", (id) => {
    const o = outcomes.get(id)!;
    expect(o, `${o.expected}: ${o.finding}`).toMatchObject({ detected: true, named: true, restored: true });
  });

  it("13 of 13 detected and named; the database alone detects all but the full rollback, which only the published log shows", () => {
    const all = [...outcomes.values()];
    expect(all).toHaveLength(13);
    expect(all.filter((o) => o.detected && o.named)).toHaveLength(13);
    expect(all.filter((o) => !o.detectedInDatabase).map((o) => o.id)).toEqual(["rollback"]);
  });
});
