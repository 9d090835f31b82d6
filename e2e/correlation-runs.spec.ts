import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { E2E } from "./config";
import { apiAs, withDb } from "./helpers";

// Correlation runs are audited: the background run an upload triggers is the system's; a run someone asks for
// through the API names them. Incremental by request (?mode=incremental), full by default; the summary says which
// ran and how many events it loaded, and the database agrees.
test.describe.configure({ mode: "serial" });

// A file no other spec uploads (an upload of stored records is all duplicates and starts no run).
const FILE = "slack-audit-logs-2025-03-05.ndjson";
type RunRow = {
  actorEmail: string | null;
  actorId: string | null;
  details: { mode: string; requested: string; newEvents: number; eventsLoaded: number; totalEvents: number };
};
const runs = () =>
  withDb(
    async (c) =>
      (
        await c.query<RunRow>(
          `SELECT "actorEmail", "actorId"::text AS "actorId", details FROM audit_log WHERE action = 'correlation.run' ORDER BY id`,
        )
      ).rows,
  );

test("an upload's background run is audited as the system's; an analyst's runs name the analyst", async () => {
  const ctx = await apiAs("analyst");
  const before = (await runs()).length;
  const up = await ctx.post("/api/v1/ingest/upload", {
    headers: { "x-file-name": FILE },
    data: fs.readFileSync(`lib/sources/slack/fixtures/${FILE}`),
  });
  expect(up.status(), await up.text()).toBe(201);
  const stored = (await up.json()).stored as number;
  expect(stored).toBeGreaterThan(0);
  // The background run the upload asked for.
  await expect
    .poll(async () => (await runs()).slice(before).filter((r) => r.actorEmail === "system").length, { timeout: 30_000 })
    .toBeGreaterThan(0);
  const background = (await runs()).slice(before).find((r) => r.actorEmail === "system")!;
  expect(background).toBeDefined();
  expect(background.actorId).toBeNull();
  expect(background.details.requested).toBe("incremental");
  // At least this upload's events (a run still pending from an earlier upload would coalesce with it).
  expect(background.details.newEvents).toBeGreaterThanOrEqual(stored);

  // Asked for incremental: nothing new since the background run, so it loads nothing.
  const inc = await ctx.post("/api/v1/correlation?mode=incremental", { data: {} });
  expect(inc.status(), await inc.text()).toBe(200);
  expect(await inc.json()).toMatchObject({ mode: "incremental", newEvents: 0, events: 0 });
  // The default: a full pass over every event.
  const full = await ctx.post("/api/v1/correlation", { data: {} });
  expect(full.status(), await full.text()).toBe(200);
  const total = await withDb(async (c) => Number((await c.query(`SELECT count(*) AS n FROM event`)).rows[0].n));
  expect(await full.json()).toMatchObject({ mode: "full", events: total, totalEvents: total });
  const mine = (await runs()).slice(-2);
  expect(mine.map((r) => [r.actorEmail, r.details.requested, r.details.mode])).toEqual([
    [E2E.users.analyst.email, "incremental", "incremental"],
    [E2E.users.analyst.email, "full", "full"],
  ]);
  expect(mine[1].details.eventsLoaded).toBe(total);
  const userId = await withDb(
    async (c) => (await c.query(`SELECT id::text AS id FROM app_user WHERE email = $1`, [E2E.users.analyst.email])).rows[0]?.id,
  );
  expect(userId).toBeTruthy();
  expect(mine.every((r) => r.actorId === userId)).toBe(true);

  // A mode that does not exist is refused with the field named.
  const bad = await ctx.post("/api/v1/correlation?mode=partial", { data: {} });
  expect(bad.status()).toBe(422);
  await ctx.dispose();
});

test("an auditor may not run the correlation", async () => {
  const ctx = await apiAs("auditor");
  expect((await ctx.post("/api/v1/correlation", { data: {} })).status()).toBe(403);
  await ctx.dispose();
});
