// Lineage benchmark: building the lineage graph (lib/sessions/get-lineage.ts, what GET /api/v1/lineage and the
// Lineage page call: database queries and graph assembly) for a root whose reachable graph has N edges; figures
// printed, nothing asserted.
//   npm run bench -- lineage [--edges N] [--runs R] [--fresh]
// The data are built once in SQL and kept under .tmp/bench-pg-lineage (--fresh rebuilds): one person holding T
// access keys, each the top of a 40-credential AssumeRole tree (a ternary tree four levels deep, held by 50 role
// identities); the top key and the 27 leaf credentials of each tree are used by one session each, every session has
// two actions in its digest, one session link per tree, and the person's 1,000 credential-less sessions. That is
// 164 edges per tree + 3,000, so T = (N - 3,000) / 164. The walk is the full one (depth 64, no node limit), as
// the UI never asks: the API caps a graph at 5,000 nodes for drawing.
import pg from "pg";
import { timedStep, cachedBenchDatabase } from "./database";

function arg(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
}

const ACTIONS = [
  "ListBuckets",
  "GetObject",
  "PutObject",
  "DeleteObject",
  "DescribeInstances",
  "RunInstances",
  "TerminateInstances",
  "CreateUser",
  "AttachUserPolicy",
  "CreateAccessKey",
  "GetSecretValue",
  "Decrypt",
  "AssumeRole",
  "PutBucketPolicy",
  "DeleteBucket",
  "ConsoleLogin",
  "UpdateFunctionCode",
  "InvokeFunction",
  "GetParameter",
  "PutParameter",
  "CreateRole",
  "PassRole",
  "StartQuery",
  "GetQueryResults",
  "CreateSnapshot",
  "ModifySnapshotAttribute",
  "StopLogging",
  "DeleteTrail",
  "PutEventSelectors",
  "CreateLoginProfile",
];
const PER_TREE = 164;
const EXTRA = 3_000;

async function build(c: pg.Client, trees: number) {
  const t0 = performance.now();
  const step = timedStep(c);
  await step(
    "identities",
    `INSERT INTO identity (id, kind, "displayName", "primaryEmail")
     SELECT md5('root')::uuid, 'human'::"IdentityKind", 'Bench Root', 'root@corp.example'
     UNION ALL SELECT md5('role' || k)::uuid, 'workload'::"IdentityKind", 'role-' || k, NULL FROM generate_series(1, 50) k`,
  );
  // Credential n = tree * 40 + j; j = 0 is the tree's top, j's parent is (j - 1) / 3 (a ternary heap).
  await step(
    "credentials",
    `INSERT INTO credential (id, kind, platform, "externalId", "identityId", "parentId", "parentRule", "firstSeenAt")
     SELECT md5('c' || n)::uuid, (CASE WHEN j = 0 THEN 'aws_access_key' ELSE 'aws_session_key' END)::"CredentialKind", 'aws-cloudtrail',
            CASE WHEN j = 0 THEN 'AKIA' ELSE 'ASIA' END || lpad(n::text, 16, '0'),
            CASE WHEN j = 0 THEN md5('root') ELSE md5('role' || (1 + n % 50)) END::uuid,
            CASE WHEN j = 0 THEN NULL ELSE md5('c' || (t * 40 + (j - 1) / 3))::uuid END,
            CASE WHEN j = 0 THEN NULL ELSE 'issued_by:AssumeRole' END,
            timestamptz '2026-06-01' + n * interval '1 second'
       FROM generate_series(0, $1::int - 1) t CROSS JOIN generate_series(0, 39) j CROSS JOIN LATERAL (SELECT t * 40 + j AS n) x`,
    [trees],
  );
  await step(
    "sessions",
    `INSERT INTO session (id, platform, "sessionKey", "keyType", rule, "identityId", "credentialId", "startedAt", "endedAt", "eventCount", "srcIps", summary)
     SELECT md5('s' || n)::uuid, 'aws-cloudtrail', 'sk-' || n, 'native', 'credential_key',
            CASE WHEN j = 0 THEN md5('root') ELSE md5('role' || (1 + n % 50)) END::uuid, md5('c' || n)::uuid,
            timestamptz '2026-06-01' + n * interval '1 second', timestamptz '2026-06-01' + n * interval '1 second' + interval '10 minutes', 3, '{}'::text[],
            jsonb_build_object('actions', jsonb_build_array(($2::text[])[1 + n % 15], ($2::text[])[16 + (n / 15) % 15]), 'objects', '[]'::jsonb)
       FROM generate_series(0, $1::int - 1) t CROSS JOIN generate_series(0, 39) j CROSS JOIN LATERAL (SELECT t * 40 + j AS n) x
      WHERE j = 0 OR j >= 13
     UNION ALL
     SELECT md5('so' || k)::uuid, 'okta', 'okta-' || k, 'native', 'platform_session_key', md5('root')::uuid, NULL,
            timestamptz '2026-05-01' + k * interval '1 minute', timestamptz '2026-05-01' + k * interval '1 minute' + interval '5 minutes', 2, '{}'::text[],
            jsonb_build_object('actions', jsonb_build_array('user.session.start', 'app.access'), 'objects', '[]'::jsonb)
       FROM generate_series(1, 1000) k`,
    [trees, ACTIONS],
  );
  await step(
    "session links",
    `INSERT INTO session_link (id, "fromSessionId", "toSessionId", kind, rule, "matchedFields", confidence)
     SELECT gen_random_uuid(), md5('s' || (t * 40 + 13))::uuid, md5('s' || (t * 40 + 14))::uuid, 'credential_lineage', 'credential_minted_in_session', '{}', 1
       FROM generate_series(0, $1::int - 1) t`,
    [trees],
  );
  await c.query("VACUUM ANALYZE");
  console.log(`built in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

export async function run(args: string[]): Promise<void> {
  const target = arg(args, "--edges", 240_000);
  const runs = arg(args, "--runs", 3);
  const trees = Math.ceil((target - EXTRA) / PER_TREE);
  const expectEdges = trees * PER_TREE + EXTRA;
  const db = await cachedBenchDatabase("lineage", `v1:${trees}`, args.includes("--fresh"));
  process.env.DATABASE_URL = db.url;
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  let rootId: string;
  try {
    if (!db.ready) {
      console.log(`building ${trees.toLocaleString()} credential trees (${expectEdges.toLocaleString()} lineage edges)…`);
      await build(c, trees);
      db.markBuilt();
    } else console.log("reusing the database built by an earlier run (--fresh rebuilds it)");
    rootId = (await c.query<{ id: string }>(`SELECT md5('root')::uuid AS id`)).rows[0].id;
  } finally {
    await c.end();
  }

  const { getLineage } = await import("../../lib/sessions/get-lineage");
  const { closeDb } = await import("../../lib/db");
  const secs: number[] = [];
  for (let r = 0; r < runs; r++) {
    const heap0 = process.memoryUsage().heapUsed;
    const t = performance.now();
    const g = (await getLineage({ identityId: rootId, depth: 64, limit: Number.MAX_SAFE_INTEGER }))!;
    const s = (performance.now() - t) / 1000;
    secs.push(s);
    const byType = (xs: { type: string }[]) => {
      const n = new Map<string, number>();
      for (const x of xs) n.set(x.type, (n.get(x.type) ?? 0) + 1);
      return [...n].map(([k, v]) => `${k} ${v.toLocaleString()}`).join(", ");
    };
    console.log(
      `run ${r + 1}: ${g.nodes.length.toLocaleString()} nodes (${byType(g.nodes)}), ${g.edges.length.toLocaleString()} edges (${byType(g.edges)}) ` +
        `in ${s.toFixed(2)} s; truncated ${g.truncated}, heap +${Math.round((process.memoryUsage().heapUsed - heap0) / 1048576)} MB` +
        (g.edges.length === expectEdges ? "" : `  (expected ${expectEdges.toLocaleString()} edges!)`),
    );
  }
  // The API's own cap: what the Lineage page draws at most.
  const t = performance.now();
  const ui = (await getLineage({ identityId: rootId, depth: 12, limit: 5000 }))!;
  console.log(
    `UI-sized graph (depth 12, limit 5,000 nodes): ${ui.nodes.length.toLocaleString()} nodes, ${ui.edges.length.toLocaleString()} edges in ${((performance.now() - t) / 1000).toFixed(2)} s`,
  );
  const sorted = [...secs].sort((a, b) => a - b);
  console.log(
    `lineage: ${expectEdges.toLocaleString()} edges built in best ${sorted[0].toFixed(2)} s, median ${sorted[Math.floor(sorted.length / 2)].toFixed(2)} s ` +
      `over ${runs} runs (target: 240,000 edges <= 10 s)`,
  );
  await closeDb();
  await db.stop();
}
