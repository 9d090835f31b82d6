import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { fromSessionUser, system } from "@/lib/context/request-context";
import { db, pool } from "@/lib/db";
import { generateDemo, type GroundTruth } from "@/lib/demo/generate-demo";
import { ingestFiles } from "@/lib/ingest/ingest-files";
import { ingestStream } from "@/lib/ingest/ingest-stream";
import { fixturePath } from "@/lib/sources/testing/samples";
import { correlationKeyStrings } from "./correlation-keys";
import { runCorrelation, type CorrelationSummary } from "./run-correlation";
import { keyScenarios } from "./testing/key-scenarios";
import type { CorrelationEvent } from "./types";
import { ingestFixture } from "@/test/factories";

// Incremental correlation must give exactly what a full pass gives: the demo dataset ingested file by file,
// correlated incrementally after each file, then compared row by row with a full pass over the same events.

/** Everything the correlation writes, in a stable order (alias and link row ids are random: left out). */
async function snapshot() {
  const q = async (sql: string) => (await pool().query(sql)).rows;
  return {
    identities: await q(
      `SELECT id, kind, "displayName", "primaryEmail", "firstSeenAt", "lastSeenAt", "ownerIdentityId" FROM identity ORDER BY id`,
    ),
    aliases: await q(
      `SELECT "identityId", platform, "aliasType", "externalId", rule, evidence FROM identity_alias ORDER BY platform, "aliasType", "externalId"`,
    ),
    credentials: await q(
      `SELECT id, kind, platform, "externalId", "identityId", "parentId", "parentRule", "firstSeenAt", "lastUsedAt", evidence FROM credential ORDER BY id`,
    ),
    sessions: await q(
      `SELECT id, platform, "sessionKey", "keyType", rule, confidence, "identityId", "initiatorIdentityId", "credentialId", "startedAt", "endedAt",
              "eventCount", "srcIps", summary FROM session ORDER BY id`,
    ),
    events: await q(`SELECT id::text, "identityId", "sessionId" FROM event ORDER BY id`),
    links: await q(
      `SELECT "fromSessionId", "toSessionId", kind, rule, "matchedFields", confidence FROM session_link ORDER BY "fromSessionId", "toSessionId", kind`,
    ),
  };
}

describe("correlation keys", () => {
  it("name every value the engine joins on, and nothing for an event without them", () => {
    const base = {
      platform: "okta",
      actor: { external_id: "00u1", login: "Ana@Example.com", name: "Ana", email: null, kind_hint: "human" },
      session: { key: "102abc", key_type: "okta.externalSessionId" },
      correlation_id: "tx1",
      credential: { key: "k1", kind: "access_token", key_type: "x", parent_key: "p1", parent_kind: null, parent_key_type: null },
      issued_credentials: [{ key: "k2", kind: "access_token", key_type: "x", parent_key: "k1", parent_key_type: null }],
      extra: { initiator: { login: "boss@example.com", via: "login_as" } },
    };
    expect(correlationKeyStrings(base as never).sort()).toEqual(
      [
        "acct|okta|id|00u1",
        "email|ana@example.com",
        "login|okta|ana@example.com",
        "acct|okta|login|boss@example.com",
        "email|boss@example.com",
        "login|okta|boss@example.com",
        "skey|102abc",
        "flow|okta|tx1",
        "cred|okta|k1",
        "cred|okta|p1",
        "cred|okta|k2",
        "cred|okta|k1",
      ].sort(),
    );
    const bare = {
      platform: "okta",
      actor: { external_id: null, login: null, name: null, email: null },
      session: null,
      correlation_id: null,
      credential: null,
      issued_credentials: [],
      extra: {},
    };
    expect(correlationKeyStrings(bare as never)).toEqual([]);
  });
});

describe("incremental correlation", () => {
  it("after each demo file gives the same identities, credentials, sessions, links and event membership as a full pass", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sp-incr-"));
    const summary = generateDemo({ seed: 11, scale: 2, outDir: dir });
    const gt = JSON.parse(fs.readFileSync(summary.groundTruth, "utf8")) as GroundTruth;
    const files = gt.files.map((f) => path.join(dir, f.path));
    expect(files.length).toBeGreaterThan(5);

    // fullPassAbove 1: the incremental writer runs even where the closure is large, so every file exercises it.
    const runs: CorrelationSummary[] = [];
    for (const file of files) {
      const out = await ingestFiles({ ctx: system(), paths: [file] });
      expect(out[0].error ?? null).toBeNull();
      runs.push(await runCorrelation({ ctx: system(), mode: "incremental", fullPassAbove: 1 }));
    }
    // The first run has nothing to build on; every later one is incremental and reads the new events.
    expect(runs[0]).toMatchObject({ mode: "full", fallbackReason: "no earlier correlation to build on" });
    const later = runs.slice(1);
    for (const r of later) expect(r.mode).toBe("incremental");
    expect(later.reduce((n, r) => n + r.newEvents, runs[0].newEvents)).toBe(await db().event.count());
    // Some files touch only part of what is stored (the point of it): fewer events loaded than stored.
    expect(later.filter((r) => r.events < r.totalEvents).length).toBeGreaterThan(0);
    console.log(
      "incremental runs (file: new / loaded / total): " +
        runs.map((r, i) => `${path.basename(files[i])}: ${r.newEvents}/${r.events}/${r.totalEvents}`).join("; "),
    );

    const incremental = await snapshot();
    expect(incremental.sessions.length).toBeGreaterThan(100);
    expect(incremental.links.length).toBeGreaterThan(50);
    const full = await runCorrelation({ ctx: system(), mode: "full" });
    expect(full).toMatchObject({ mode: "full", fallbackReason: null, newEvents: 0 });
    expect(full.events).toBe(full.totalEvents);
    expect(await snapshot()).toEqual(incremental);

    // A small batch afterwards: loads its own events and the few it touches, not the whole store, and still
    // agrees with a full pass.
    const small = await ingestFixture("okta", "okta-system-log-page.json");
    expect(small.stored).toBeGreaterThan(0);
    const after = await runCorrelation({ ctx: system(), mode: "incremental" });
    expect(after.mode).toBe("incremental");
    expect(after.newEvents).toBe(small.stored);
    expect(after.events).toBeGreaterThanOrEqual(after.newEvents);
    expect(after.events).toBeLessThan(after.totalEvents / 4);
    console.log(`small batch: ${after.newEvents} new events, ${after.events} loaded of ${after.totalEvents}`);
    const afterSmall = await snapshot();
    await runCorrelation({ ctx: system(), mode: "full" });
    expect(await snapshot()).toEqual(afterSmall);

    // Nothing new: an incremental run loads nothing and changes nothing.
    const idle = await runCorrelation({ ctx: system(), mode: "incremental" });
    expect(idle).toMatchObject({ mode: "incremental", newEvents: 0, events: 0 });
    expect(await snapshot()).toEqual(afterSmall);
  }, 120_000);

  it("falls back to a full pass when the new events touch more than the allowed share of the stored ones", async () => {
    // Runs after the test above (one database per file): the Okta sample is stored and correlated. The same
    // people again in a copy with other record ids (not a duplicate) touch those events.
    const okta = "okta-system-log-page.json";
    const text = fs.readFileSync(fixturePath("okta", okta), "utf8").replace(/"uuid":\s*"/g, '"uuid": "copy-');
    const r = await ingestStream({ input: Readable.from([text]), fileName: "okta-copy.json", via: "cli", ctx: system() });
    expect(r.stored).toBeGreaterThan(0);
    // Their closure: the copy and the sample's events, about 2.5% of the store; allowed 1%: a full pass.
    const s = await runCorrelation({ ctx: system(), mode: "incremental", fullPassAbove: 0.01 });
    expect(s).toMatchObject({ mode: "full", newEvents: r.stored });
    expect(s.fallbackReason).toMatch(/touch more than \d+ events/);
    expect(s.events).toBe(s.totalEvents);
    expect(s.totalEvents).toBe(await db().event.count());
  });
});

describe("correlation run audit", () => {
  it("appends one correlation.run entry per run: the system for background runs, the user who asked otherwise", async () => {
    // Runs after the tests above: a store with correlated events.
    const before = await db().auditLog.count({ where: { action: "correlation.run" } });
    const first = await runCorrelation({ ctx: system(), mode: "incremental" });
    const userId = "7d6f2f7e-1c1e-4c59-9d4e-3f0c8a1b2c3d";
    const second = await runCorrelation({
      ctx: fromSessionUser({ id: userId, email: "ana@example.com", role: "analyst", ip: "10.0.0.9", userAgent: "vitest" }),
      mode: "full",
    });
    const rows = await db().auditLog.findMany({ where: { action: "correlation.run" }, orderBy: { id: "asc" }, skip: before });
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ actorId: null, actorEmail: "system", resourceType: "correlation" });
    expect(rows[0].details).toMatchObject({
      type: "correlation.run",
      requested: "incremental",
      mode: first.mode,
      newEvents: first.newEvents,
      eventsLoaded: first.events,
      sessions: first.sessions,
      durationMs: first.durationMs,
    });
    expect(rows[1]).toMatchObject({ actorId: userId, actorEmail: "ana@example.com", ip: "10.0.0.9", userAgent: "vitest" });
    expect(rows[1].details).toMatchObject({
      requested: "full",
      mode: "full",
      newEvents: 0,
      eventsLoaded: second.events,
      sessions: second.sessions,
    });
    expect(second.events).toBe(await db().event.count());
  });
});

describe("incremental correlation through each kind of stored key", () => {
  // Events written straight into the tables (a raw record row and its event, as the pipeline writes them), one
  // per batch, so that each event arrives when its partners are already stored: the run must find them through
  // the key kind the scenario joins on. Each scenario twice: in its order and in reverse.
  let leaf = 1_000_000_000;
  async function store(e: CorrelationEvent): Promise<void> {
    const d = e.data;
    const raw = await pool().query<{ id: string }>(
      `INSERT INTO raw_record ("leafIndex", "sourceId", "fileName", position, "contentHash", "leafHash")
       VALUES ($1::bigint, gen_random_uuid(), 'crafted.json', $1::bigint, sha256(convert_to($2, 'UTF8')), sha256(convert_to('leaf' || $2, 'UTF8'))) RETURNING id::text`,
      [++leaf, String(leaf)],
    );
    await pool().query(
      `INSERT INTO event ("sourceId", "rawRecordId", platform, time, "classUid", "className", activity, "actorExternalId", "sessionKey", "credentialKey", data)
       VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7, $8, $9, $10::json)`,
      [
        raw.rows[0].id,
        d.platform,
        d.time,
        d.class_uid,
        d.class_name,
        d.activity,
        d.actor.external_id,
        d.session?.key ?? null,
        d.credential?.key ?? null,
        JSON.stringify(d),
      ],
    );
  }

  it("finds the stored partners of every new event and agrees with a full pass", async () => {
    const batches: CorrelationEvent[] = [];
    for (const make of Object.values(keyScenarios)) {
      batches.push(...make("-fwd"));
      batches.push(...make("-rev").reverse());
    }
    await runCorrelation({ ctx: system(), mode: "full" }); // whatever the tests above left, so that every run below builds on it
    for (const e of batches) {
      await store(e);
      const r = await runCorrelation({ ctx: system(), mode: "incremental", fullPassAbove: 1 });
      expect(r.mode).toBe("incremental");
      expect(r.newEvents).toBe(1);
    }
    const incremental = await snapshot();
    await runCorrelation({ ctx: system(), mode: "full" });
    expect(await snapshot()).toEqual(incremental);
  });
});
