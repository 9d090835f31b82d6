// Session list benchmark: the query behind GET /api/v1/sessions and the Sessions page (lib/sessions/list-sessions.ts)
// over a database of ~1M events already correlated into sessions; figures printed, nothing asserted.
//   npm run bench -- session-list [--events N] [--sessions N] [--rounds R] [--fresh]
// The data are built once in SQL (identities of every kind on ten platforms, sessions with digests, risk levels,
// initiators and links, and the events that belong to them) and kept under .tmp/bench-pg-session-list, so that
// later runs only time the queries; --fresh rebuilds. Each round runs every query kind once with varied values.
import crypto from "node:crypto";
import pg from "pg";
import { timedStep, cachedBenchDatabase, percentiles } from "./database";
import type { SessionsQuery } from "../../lib/sessions/types";

function arg(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
}

const PLATFORMS = [
  "okta",
  "entra",
  "m365",
  "github",
  "slack",
  "salesforce",
  "aws-cloudtrail",
  "snowflake",
  "atlassian",
  "google-workspace",
];
const ACTIONS = [
  "user.session.start",
  "user.authentication.sso",
  "DeleteBucket",
  "AttachUserPolicy",
  "GetObject",
  "PutObject",
  "AssumeRole",
  "repo.create",
  "repo.destroy",
  "org.update_member",
  "FileDownloaded",
  "FileAccessed",
  "MailItemsAccessed",
  "Set-Mailbox",
  "channel_created",
  "file_downloaded",
  "Login",
  "ReportExport",
  "QUERY",
  "SELECT",
  "page_viewed",
  "user_added",
  "admin.role.grant",
  "policy.rule.update",
  "token.create",
  "oauth2.consent",
  "CreateAccessKey",
  "ConsoleLogin",
  "Export",
  "Delete",
];
const BASE = Date.parse("2026-08-01T00:00:00Z");
const SPAN_DAYS = 90;

async function build(c: pg.Client, events: number, sessions: number, identities: number) {
  const t0 = performance.now();
  const step = timedStep(c);
  // Deterministic ids (md5 of a tag and a number) let later statements point at rows without a lookup table.
  await step(
    "identities",
    `INSERT INTO identity (id, kind, "displayName", "primaryEmail", "firstSeenAt", "lastSeenAt")
     SELECT md5('i' || g)::uuid,
            (CASE WHEN g % 10 < 7 THEN 'human' ELSE (ARRAY['service_account','oauth_app','api_token','bot','ai_agent','workload','system'])[1 + (g / 10) % 7] END)::"IdentityKind",
            CASE WHEN g % 10 < 7 THEN 'Person ' || g ELSE 'nhi-' || g END,
            CASE WHEN g % 10 < 7 THEN 'person' || g || '@corp.example' END,
            to_timestamp($2::double precision / 1000), to_timestamp($2::double precision / 1000) + interval '${SPAN_DAYS} days'
       FROM generate_series(1, $1::int) g`,
    [identities, BASE],
  );
  await step(
    "sessions",
    `INSERT INTO session (id, platform, "sessionKey", "keyType", rule, confidence, "identityId", "initiatorIdentityId", "startedAt", "endedAt",
                          "eventCount", "srcIps", "riskScore", "riskLevel", summary)
     SELECT md5('s' || g)::uuid, ($3::text[])[1 + g % 10], 'sk-' || g || '-' || md5('k' || g),
            CASE WHEN g % 7 = 0 THEN 'heuristic' ELSE 'native' END, CASE WHEN g % 7 = 0 THEN 'actor_ip_ua_gap' ELSE 'platform_session_key' END,
            CASE WHEN g % 7 = 0 THEN 0.7 ELSE 1 END,
            md5('i' || (1 + (g::bigint * 7919) % $2))::uuid,
            CASE WHEN g % 20 = 0 THEN md5('i' || (1 + (g::bigint * 104729) % $2))::uuid END,
            t.start, t.start + (1 + g % 240) * interval '1 minute', 0,
            ARRAY['10.' || g % 200 || '.' || g % 250 || '.' || g % 7],
            (g * 37) % 100,
            CASE WHEN g % 13 = 0 THEN (ARRAY['low','medium','high','critical'])[1 + (g / 13) % 4] END,
            jsonb_build_object('actions', jsonb_build_array(($4::text[])[1 + g % 30], ($4::text[])[1 + (g / 30) % 30], ($4::text[])[1 + (g / 900) % 30]),
                               'objects', jsonb_build_array(jsonb_build_object('type', 'file', 'id', 'doc-' || g % 5000), jsonb_build_object('type', 'repo', 'id', 'repo-' || g % 800)))
       FROM generate_series(1, $1::int) g,
            LATERAL (SELECT to_timestamp($5::double precision / 1000) + ((g::bigint * 2654435761) % ($6::bigint * 86400)) * interval '1 second' AS start) t`,
    [sessions, identities, PLATFORMS, ACTIONS, BASE, SPAN_DAYS],
  );
  await step(
    "session links",
    `INSERT INTO session_link (id, "fromSessionId", "toSessionId", kind, rule, "matchedFields", confidence)
     SELECT gen_random_uuid(), md5('s' || g)::uuid, md5('s' || (g + 1))::uuid, 'idp_to_app', 'identity_time_ip', '{}'::jsonb, 0.9
       FROM generate_series(4, $1::int - 1, 4) g`,
    [sessions],
  );
  // Each event belongs to a session (scattered, ~events/sessions each), at a time inside it.
  await step(
    "events",
    `INSERT INTO event ("sourceId", "rawRecordId", platform, time, "classUid", "className", activity, status, "actorExternalId", "identityId",
                        "sessionKey", "srcIp", "targetType", "targetId", "sessionId", data)
     SELECT '00000000-0000-4000-8000-000000000001'::uuid, g, s.platform, s."startedAt" + (g % 60) * ((s."endedAt" - s."startedAt") / 60),
            3002, 'Authentication', ($3::text[])[1 + g % 30], 'success', 'actor-' || g % 5000, s."identityId", s."sessionKey", s."srcIps"[1],
            'file', 'doc-' || g % 5000, s.id, '{"bench":true}'::json
       FROM generate_series(1, $1::int) g
       JOIN session s ON s.id = md5('s' || (1 + (g::bigint * 2654435761) % $2))::uuid`,
    [events, sessions, ACTIONS],
  );
  await step(
    "event counts",
    `UPDATE session s SET "eventCount" = e.n FROM (SELECT "sessionId", count(*)::int AS n FROM event GROUP BY 1) e WHERE e."sessionId" = s.id`,
  );
  await c.query("VACUUM ANALYZE");
  console.log(`built in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

export async function run(args: string[]): Promise<void> {
  const events = arg(args, "--events", 1_000_000);
  const sessions = arg(args, "--sessions", Math.round(events / 16));
  const identities = arg(args, "--identities", 5_000);
  const rounds = arg(args, "--rounds", 20);
  const db = await cachedBenchDatabase("session-list", `v1:${events}:${sessions}:${identities}`, args.includes("--fresh"));
  process.env.DATABASE_URL = db.url;
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  try {
    if (!db.ready) {
      console.log(
        `building ${events.toLocaleString()} events in ${sessions.toLocaleString()} sessions of ${identities.toLocaleString()} identities…`,
      );
      await build(c, events, sessions, identities);
      db.markBuilt();
    } else console.log("reusing the database built by an earlier run (--fresh rebuilds it)");
    await c.query("ANALYZE");
    const counts = (
      await c.query(`SELECT (SELECT count(*) FROM event) AS e, (SELECT count(*) FROM session) AS s, (SELECT count(*) FROM identity) AS i`)
    ).rows[0];
    console.log(
      `database: ${Number(counts.e).toLocaleString()} events, ${Number(counts.s).toLocaleString()} sessions, ${Number(counts.i).toLocaleString()} identities`,
    );
  } finally {
    await c.end();
  }

  const { listSessions } = await import("../../lib/sessions/list-sessions");
  const { closeDb } = await import("../../lib/db");
  const day = (d: number) => new Date(BASE + d * 86_400_000);
  // A representative mix: what the Sessions page sends (limit 100, its default) for the filters analysts use.
  const kinds: Record<string, (r: number) => Partial<SessionsQuery>> = {
    default: () => ({}),
    "page 20 (offset 2000)": () => ({ offset: 2000 }),
    platform: (r) => ({ platform: PLATFORMS[r % PLATFORMS.length] }),
    "identity kind": (r) => ({ kind: (["service_account", "bot", "ai_agent", "human"] as const)[r % 4] }),
    identity: (r) => ({ identityId: md5uuid(`i${1 + ((r * 7919) % identities)}`) }),
    "time range (7 days)": (r) => ({ from: day(r % 80), to: day((r % 80) + 7) }),
    "risk level": (r) => ({ risk: (["high", "critical", "medium"] as const)[r % 3] }),
    "free text (identity)": (r) => ({ q: `person${(r * 131) % identities}@` }),
    "free text (action)": (r) => ({ q: ACTIONS[(r * 7) % ACTIONS.length] }),
    "sort by events asc": () => ({ sort: "events", dir: "asc" }),
    "sort by identity": () => ({ sort: "identity", dir: "asc" }),
    "platform + 30 days + sort by start asc": (r) => ({
      platform: PLATFORMS[r % PLATFORMS.length],
      from: day(r % 60),
      to: day((r % 60) + 30),
      dir: "asc",
    }),
  };
  // One warm-up pass: the first query of each kind pays for plan caching and reading pages from disk.
  for (const [, q] of Object.entries(kinds)) await listSessions(q(0));
  const times: Record<string, number[]> = {};
  const totals: Record<string, number> = {};
  for (let r = 1; r <= rounds; r++) {
    for (const [name, q] of Object.entries(kinds)) {
      const t = performance.now();
      const page = await listSessions(q(r));
      (times[name] ??= []).push(performance.now() - t);
      totals[name] = page.total;
    }
  }
  const all: number[] = [];
  console.log(
    `\n${"query".padEnd(40)} ${"n".padStart(4)} ${"p50 ms".padStart(8)} ${"p95 ms".padStart(8)} ${"max ms".padStart(8)}  rows matched (last)`,
  );
  for (const [name, ms] of Object.entries(times)) {
    all.push(...ms);
    const p = percentiles(ms);
    console.log(
      `${name.padEnd(40)} ${String(p.n).padStart(4)} ${p.p50.toFixed(1).padStart(8)} ${p.p95.toFixed(1).padStart(8)} ${p.max.toFixed(1).padStart(8)}  ${totals[name].toLocaleString()}`,
    );
  }
  const p = percentiles(all);
  console.log(
    `${"all".padEnd(40)} ${String(p.n).padStart(4)} ${p.p50.toFixed(1).padStart(8)} ${p.p95.toFixed(1).padStart(8)} ${p.max.toFixed(1).padStart(8)}`,
  );
  console.log(`session list: p95 ${p.p95.toFixed(1)} ms over ${p.n} queries (target: p95 <= 100 ms at 1M events)`);
  await closeDb();
  await db.stop();
}

function md5uuid(s: string): string {
  // The same id as md5('…')::uuid in PostgreSQL.
  const h = crypto.createHash("md5").update(s).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
