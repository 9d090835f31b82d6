import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { pool } from "@/lib/db";
import { loadDemoIfEmpty } from "@/lib/demo/load-demo";
import { getSession } from "./get-session";
import { headlineFacts } from "./headline-facts";
import { listSessions } from "./list-sessions";

// The headline over the demo data, loaded and analysed as the app does at first start: the stolen integration token
// (story 2) reads its volumes from Salesforce's ROWS_PROCESSED, its object from ENTITY_NAME, its client and user agent
// from the records, and its network is new against the identity's earlier session. The values asserted are read from
// the stored events, not typed in, except the shape of the sentence.

let reuseId: string;

beforeAll(async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sp-headline-"));
  const r = await loadDemoIfEmpty({ dataDir, seed: 1, scale: 1 });
  expect(r.loaded).toBe(true);
  // The session holding the bulk reads: the Salesforce session whose events carry the most rows.
  const row = await pool().query<{ sessionId: string }>(
    `SELECT "sessionId" FROM event WHERE platform = 'salesforce' AND "sessionId" IS NOT NULL AND json_typeof(data->'extra'->'ROWS_PROCESSED') = 'number'
      GROUP BY 1 ORDER BY sum((data->'extra'->>'ROWS_PROCESSED')::numeric) DESC LIMIT 1`,
  );
  reuseId = row.rows[0].sessionId;
}, 120_000);

describe("session headline on the demo data", () => {
  it("names the rows, the object, the new network, the client and the gap since the identity's last call", async () => {
    const facts = (await headlineFacts({ ids: [reuseId] })).get(reuseId)!;
    // Expected values read from the stored events: the export rows (ROWS_PROCESSED of the export activity), the
    // address most events came from, and the connected app's self-given name.
    const ev = await pool().query<{ rows: string; n: number; entity: string; ip: string; ua: string; client: string }>(
      `SELECT sum((data->'extra'->>'ROWS_PROCESSED')::numeric) FILTER (WHERE activity = 'export')::text AS rows,
              count(*) FILTER (WHERE activity = 'export')::int AS n, max(data->'resources'->0->>'name') AS entity,
              mode() WITHIN GROUP (ORDER BY "srcIp") AS ip, mode() WITHIN GROUP (ORDER BY "userAgent") AS ua,
              max(data->'extra'->>'CLIENT_NAME') AS client
         FROM event WHERE "sessionId" = $1`,
      [reuseId],
    );
    const e = ev.rows[0];
    expect(facts.volumes.find((v) => v.activity === "export")?.rows).toBe(Number(e.rows));
    expect(facts.srcIp).toBe(e.ip);
    expect(facts.userAgent).toBe(e.ua);
    expect(facts.client).toBe(e.client);

    const detail = await getSession({ id: reuseId });
    const h = detail!.headline;
    expect(h).toContain(
      `${e.client} (as ${detail!.identity!.name}) exported ${Math.round(Number(e.rows) / 1000)}k ${e.entity} rows in ${e.n} queries`,
    );
    expect(h).toContain(`from new IP ${e.ip}`);
    expect(h).toContain(`with ${e.ua.split("/")[0]}`);
    // The identity's last call before the new address: the gap and the address it came from.
    expect(facts.previous).not.toBeNull();
    expect(h).toMatch(new RegExp(`, \\d+ (h|min|d) after its last call from ${facts.previous!.ip!.replace(/\./g, "\\.")}\\.`));
    // The bulk reads are privileged: each is listed with its governance verdict.
    expect(h).toMatch(/\d+ privileged actions?: API/);

    // The sessions list carries the same sentence.
    const page = await listSessions({ platform: "salesforce", limit: 500 });
    expect(page.items.find((s) => s.id === reuseId)?.headline).toBe(h);
    expect(page.items.every((s) => s.headline.length > 0)).toBe(true);
  });

  it("does not call the network new for an identity's first session", async () => {
    const first = await pool().query<{ id: string }>(
      `SELECT s.id FROM session s WHERE s."identityId" IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM session p WHERE p."identityId" = s."identityId" AND p."startedAt" < s."startedAt") LIMIT 1`,
    );
    const f = (await headlineFacts({ ids: [first.rows[0].id] })).get(first.rows[0].id)!;
    expect(f.newNetwork).toBeNull();
    expect(f.previous).toBeNull();
  });
});
