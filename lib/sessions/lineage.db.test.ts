import crypto from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { addCaseItem } from "@/lib/cases/add-case-item";
import { createCase } from "@/lib/cases/create-case";
import { addItemInput, createCaseInput } from "@/lib/cases/types";
import { db, pool } from "@/lib/db";
import { getLineage } from "./get-lineage";
import type { LineageGraph } from "./types";
import { lineageQuery } from "./types";
import { seedUser } from "@/test/factories";

// getLineage on a built fixture whose expected graph is written down from the fixture itself, not from the code:
//   alice holds k0 -> k1 -> k2 … k15 (a 16-credential AssumeRole chain; k2..k15 held by two role identities) and
//   r1 (a refresh token minted from k1); sessions s0 (on k0), s15 (on k15), sr (on r1), sa (alice, no credential);
//   bob's session sb (on b0) is linked to s15; carol's k-less world (c0 with session sc, and c1 <-> c2, a parent
//   cycle) is connected to none of it. Sessions carry digests whose actions become action nodes.
const id = (name: string) => {
  const h = crypto.createHash("md5").update(`lineage-test:${name}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

const IDENTITIES = [
  ["alice", "human"],
  ["roleA", "workload"],
  ["roleB", "workload"],
  ["bob", "human"],
  ["carol", "human"],
] as const;
type Cred = { name: string; holder: string; parent: string | null; rule: string | null };
const CHAIN: Cred[] = Array.from({ length: 16 }, (_, i) => ({
  name: `k${i}`,
  holder: i < 2 ? "alice" : i % 2 ? "roleB" : "roleA",
  parent: i === 0 ? null : `k${i - 1}`,
  rule: i === 0 ? null : i === 1 ? "issued_by:GetSessionToken" : "issued_by:AssumeRole",
}));
const CREDS: Cred[] = [
  ...CHAIN,
  { name: "r1", holder: "alice", parent: "k1", rule: "refreshed_from" },
  { name: "b0", holder: "bob", parent: null, rule: null },
  { name: "c0", holder: "carol", parent: null, rule: null },
  { name: "c1", holder: "carol", parent: "c2", rule: "delegated_from" },
  { name: "c2", holder: "carol", parent: "c1", rule: "delegated_from" },
];
type Sess = { name: string; identity: string; cred: string | null; actions: string[] };
const SESSIONS: Sess[] = [
  { name: "s0", identity: "alice", cred: "k0", actions: ["ListBuckets", "GetObject"] },
  { name: "s15", identity: "roleB", cred: "k15", actions: ["DeleteBucket"] },
  { name: "sr", identity: "alice", cred: "r1", actions: [] },
  { name: "sa", identity: "alice", cred: null, actions: ["Login"] },
  { name: "sb", identity: "bob", cred: "b0", actions: ["Export"] },
  { name: "sc", identity: "carol", cred: "c0", actions: ["Login"] },
];
const LINKS = [["sb", "s15"]] as const;

// Every edge the fixture declares, as "source -type-> target" with names.
function fixtureEdges(): { edge: string; touches: string[] }[] {
  const out: { edge: string; touches: string[] }[] = [];
  for (const c of CREDS) {
    out.push({ edge: `${c.holder} -holds-> ${c.name}`, touches: [c.holder, c.name] });
    if (c.parent) out.push({ edge: `${c.parent} -parent_of-> ${c.name}`, touches: [c.parent, c.name] });
  }
  for (const s of SESSIONS) {
    if (s.cred) out.push({ edge: `${s.cred} -used_by-> ${s.name}`, touches: [s.cred, s.name] });
    else out.push({ edge: `${s.identity} -session_of-> ${s.name}`, touches: [s.identity, s.name] });
    for (const a of s.actions) out.push({ edge: `${s.name} -performed-> ${s.name}:${a}`, touches: [s.name, `${s.name}:${a}`] });
  }
  for (const [from, to] of LINKS) out.push({ edge: `${from} -linked_to-> ${to}`, touches: [from, to] });
  return out;
}
const CAROL = new Set(["carol", "c0", "c1", "c2", "sc", "sc:Login"]);

const names = new Map<string, string>();
function named(g: LineageGraph) {
  const n = (x: string) =>
    names.get(x) ?? (x.startsWith("action:") ? `${names.get(x.split(":")[1])}:${x.split(":").slice(2).join(":")}` : x);
  return {
    nodes: g.nodes.map((x) => n(x.id)).sort(),
    edges: g.edges.map((e) => `${n(e.source)} -${e.type}-> ${n(e.target)}`).sort(),
  };
}

beforeAll(async () => {
  const c = pool();
  for (const [name, kind] of IDENTITIES) {
    names.set(id(name), name);
    await c.query(`INSERT INTO identity (id, kind, "displayName") VALUES ($1, $2::"IdentityKind", $3)`, [id(name), kind, name]);
  }
  for (const [i, cr] of CREDS.entries()) {
    names.set(id(cr.name), cr.name);
    await c.query(
      `INSERT INTO credential (id, kind, platform, "externalId", "identityId", "parentRule", "firstSeenAt")
       VALUES ($1, 'aws_session_key', 'aws-cloudtrail', $2, $3, $4, $5)`,
      [id(cr.name), `ASIA-${cr.name}`, id(cr.holder), cr.rule, new Date(Date.UTC(2026, 0, 1, 0, i))],
    );
  }
  for (const cr of CREDS) if (cr.parent) await c.query(`UPDATE credential SET "parentId" = $2 WHERE id = $1`, [id(cr.name), id(cr.parent)]);
  for (const [i, s] of SESSIONS.entries()) {
    names.set(id(s.name), s.name);
    await c.query(
      `INSERT INTO session (id, platform, "sessionKey", "keyType", rule, "identityId", "credentialId", "startedAt", "endedAt", "eventCount", "srcIps", summary)
       VALUES ($1, 'aws-cloudtrail', $2, 'native', 'platform_session_key', $3, $4, $5, $5, 1, '{}', $6)`,
      [
        id(s.name),
        `key-${s.name}`,
        id(s.identity),
        s.cred ? id(s.cred) : null,
        new Date(Date.UTC(2026, 0, 2, i)),
        JSON.stringify({ actions: s.actions, objects: [] }),
      ],
    );
  }
  for (const [from, to] of LINKS) {
    await c.query(
      `INSERT INTO session_link (id, "fromSessionId", "toSessionId", kind, rule, "matchedFields", confidence) VALUES (gen_random_uuid(), $1, $2, 'idp_to_app', 'identity_time_ip', '{}', 0.8)`,
      [id(from), id(to)],
    );
  }
});

describe("getLineage over a built fixture", () => {
  it("from an identity: its credentials, their whole chain to any depth, the sessions, their actions, the linked sessions", async () => {
    const g = (await getLineage({ identityId: id("alice"), depth: 64, limit: 5000 }))!;
    const want = fixtureEdges().filter((e) => !e.touches.some((t) => CAROL.has(t)));
    const wantNodes = [...new Set(want.flatMap((e) => e.touches))].sort();
    const got = named(g);
    expect(got.edges).toEqual(want.map((e) => e.edge).sort());
    expect(got.nodes).toEqual(wantNodes);
    expect(g.truncated).toBe(false);
    expect(g.unexpanded).toBe(0);
    // alice holds k1 directly, so k15 is 15 hops from her, its session 16 and that session's action 17.
    expect(g.nodes.find((n) => n.id === id("k15"))!.depth).toBe(15);
    expect(g.nodes.find((n) => n.id === id("s15"))!.depth).toBe(16);
    const act = g.nodes.find((n) => n.type === "action" && n.label === "DeleteBucket")!;
    expect(act).toMatchObject({ kind: "action", platform: "aws-cloudtrail", depth: 17 });
    expect(g.edges.find((e) => e.target === act.id)).toMatchObject({ type: "performed", rule: "session_digest_action", source: id("s15") });
    expect(g.edges.find((e) => e.type === "linked_to")).toMatchObject({ rule: "idp_to_app: identity_time_ip", confidence: 0.8 });
  });

  it("from a credential in the middle of a chain: up to its root, down to its last descendant; holders shown, not expanded", async () => {
    const g = (await getLineage({ credentialId: id("k8"), depth: 64, limit: 5000 }))!;
    // alice is k0's holder, so she is in the graph, but her credential-less session sa is not (she is not expanded).
    const skip = new Set([...CAROL, "sa", "sa:Login"]);
    const want = fixtureEdges().filter((e) => !e.touches.some((t) => skip.has(t)));
    const got = named(g);
    expect(got.edges).toEqual(want.map((e) => e.edge).sort());
    expect(got.nodes).toEqual([...new Set(want.flatMap((e) => e.touches))].sort());
    expect(g.nodes[0]).toMatchObject({ id: id("k8"), depth: 0 });
    expect(g.nodes.find((n) => n.id === id("k0"))!.depth).toBe(8);
  });

  it("stops at the depth and says how much was left unexpanded", async () => {
    const g = (await getLineage({ identityId: id("alice"), depth: 3 }))!;
    const got = named(g);
    // hop 1: k0, k1, r1, sa; hop 2: k2 (+ its holder roleA), s0, sr, sa's action; hop 3: k3 (+ roleB), s0's actions.
    expect(got.nodes).toEqual(
      ["alice", "k0", "k1", "k2", "k3", "r1", "roleA", "roleB", "s0", "s0:GetObject", "s0:ListBuckets", "sa", "sa:Login", "sr"].sort(),
    );
    expect(g.nodes.every((n) => n.depth <= 3)).toBe(true);
    expect(g.unexpanded).toBe(1);
  });

  it("leaves out the node types the analyst hid, with their edges", async () => {
    const g = (await getLineage({ identityId: id("alice"), depth: 64, hide: ["action", "session"] }))!;
    expect(g.hide).toEqual(["action", "session"]);
    expect(g.nodes.some((n) => n.type === "action" || n.type === "session")).toBe(false);
    const got = named(g);
    const want = fixtureEdges().filter((e) => !e.touches.some((t) => CAROL.has(t) || /^s/.test(t)));
    // A filter hides; it does not change the walk: bob's credential, reached through a session link, stays.
    expect(got.edges).toEqual(want.map((e) => e.edge).sort());
    expect(got.nodes).toContain("b0");
  });

  it("terminates on a parent cycle, respects the node limit, refuses unknown roots", async () => {
    const cyc = named((await getLineage({ credentialId: id("c1"), depth: 64 }))!);
    expect(cyc.edges).toEqual(["c1 -parent_of-> c2", "c2 -parent_of-> c1", "carol -holds-> c1", "carol -holds-> c2"]);
    const small = (await getLineage({ identityId: id("alice"), depth: 64, limit: 5 }))!;
    expect(small.nodes).toHaveLength(5);
    expect(small.truncated).toBe(true);
    expect(await getLineage({ identityId: "00000000-0000-4000-8000-000000000000" })).toBeNull();
    expect(await getLineage({ credentialId: "not-a-uuid" })).toBeNull();
    expect(lineageQuery.parse({ identityId: id("alice"), hide: "session,action" }).hide).toEqual(["session", "action"]);
    expect(lineageQuery.safeParse({ identityId: id("alice"), hide: "everything" }).success).toBe(false);
    expect(lineageQuery.safeParse({ identityId: id("alice"), depth: "65" }).success).toBe(false);
  });

  it("keeps the analyst's filters in a case snapshot: the stored graph is rebuilt with them", async () => {
    const { ctx } = await seedUser("analyst", "lineage-analyst@example.test");
    const c = await createCase({ ctx, input: createCaseInput.parse({ title: "Role chain" }) });
    await addCaseItem({
      ctx,
      caseId: c.id,
      input: addItemInput.parse({
        itemType: "lineage_snapshot",
        refId: id("alice"),
        snapshot: { root: { type: "identity", id: id("alice") }, depth: 64, limit: 5000, hide: ["action"] },
      }),
    });
    const item = await db().caseItem.findFirstOrThrow({ where: { caseId: c.id, itemType: "lineage_snapshot" } });
    const snap = item.snapshot as unknown as LineageGraph & { rootLabel: string };
    expect(snap).toMatchObject({ depth: 64, limit: 5000, hide: ["action"], rootLabel: "alice" });
    const want = fixtureEdges().filter((e) => !e.touches.some((t) => CAROL.has(t)) && !e.edge.includes("-performed->"));
    expect(named(snap).edges).toEqual(want.map((e) => e.edge).sort());
  });
});
