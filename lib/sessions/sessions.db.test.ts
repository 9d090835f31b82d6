import { beforeAll, describe, expect, it } from "vitest";
import { system } from "@/lib/context/request-context";
import { pool } from "@/lib/db";
import { runCorrelation } from "@/lib/correlation/run-correlation";
import { append } from "@/lib/ledger/test-helpers";
import { getIdentity } from "./get-identity";
import { getLineage } from "./get-lineage";
import { getSession } from "./get-session";
import { getSessionFacets } from "./get-session-facets";
import { listIdentities } from "./list-identities";
import { listSessions } from "./list-sessions";
import { searchLineageRoots } from "./search-lineage-roots";
import { lineageQuery, sessionsQuery } from "./types";
import { CROSS_PLATFORM_FIXTURES, ingestCleanFixtures } from "@/test/factories";

// The Sessions / Identities / Lineage queries over real fixture exports: CloudTrail (alice's GetSessionToken ->
// AssumeRole Admin -> AssumeRole Auditor chain), Okta, GitHub, Entra sign-ins and the M365 audit log (Maria Lopez
// on five platforms), ingested and correlated as the app does.
const FILES = CROSS_PLATFORM_FIXTURES;

let adminSessionId: string;

beforeAll(async () => {
  const empty = await getSessionFacets();
  expect(empty).toEqual({ sessions: 0, events: 0, platforms: [], kinds: [], riskLevels: [] });
  await ingestCleanFixtures(FILES);
  const sum = await runCorrelation({ ctx: system() });
  expect(sum.sessions).toBeGreaterThan(10);
  const page = await listSessions({ q: "AttachUserPolicy" });
  expect(page.total).toBe(1);
  adminSessionId = page.items[0].id;
});

describe("listSessions", () => {
  it("lists every session with its total, newest first by default, and pages without overlap", async () => {
    const all = await listSessions({ limit: 500 });
    const count = Number((await pool().query(`SELECT count(*) FROM session`)).rows[0].count);
    expect(all.total).toBe(count);
    expect(all.items).toHaveLength(count);
    const starts = all.items.map((s) => s.startedAt);
    expect([...starts].sort().reverse()).toEqual(starts);

    const first = await listSessions({ limit: 5, offset: 0 });
    const second = await listSessions({ limit: 5, offset: 5 });
    expect(first.total).toBe(count);
    expect(first.items.map((s) => s.id)).toEqual(all.items.slice(0, 5).map((s) => s.id));
    expect(second.items.map((s) => s.id)).toEqual(all.items.slice(5, 10).map((s) => s.id));
  });

  it("filters by platform, identity kind, identity, time range, risk and free text", async () => {
    const gh = await listSessions({ platform: "github" });
    expect(gh.total).toBeGreaterThan(0);
    expect(gh.items.every((s) => s.platform === "github")).toBe(true);

    const agents = await listSessions({ kind: "ai_agent" });
    expect(agents.items.map((s) => s.identity?.name)).toEqual(["Copilot"]);

    const maria = (await listIdentities({ q: "Maria Lopez" })).items[0];
    const hers = await listSessions({ identityId: maria.id, limit: 500 });
    expect(new Set(hers.items.map((s) => s.platform))).toEqual(new Set(["aws-cloudtrail", "entra", "github", "m365", "okta"]));

    const window = await listSessions({ from: new Date("2025-03-04T13:01:00Z"), to: new Date("2025-03-04T13:03:00Z") });
    expect(window.items.map((s) => s.id)).toContain(adminSessionId);
    for (const s of window.items) {
      expect(s.endedAt >= "2025-03-04T13:01:00.000Z" && s.startedAt <= "2025-03-04T13:03:00.000Z").toBe(true);
    }

    // No risk scoring has run: every session is unscored.
    expect((await listSessions({ risk: "high" })).total).toBe(0);
    expect((await listSessions({ risk: "none" })).total).toBe((await listSessions({})).total);

    // Free text: identity name, session key, action, changed object; LIKE wildcards match literally.
    expect((await listSessions({ q: "alice-admin" })).items.map((s) => s.id)).toContain(adminSessionId);
    expect((await listSessions({ q: "ci-deployer" })).items.map((s) => s.id)).toEqual([adminSessionId]);
    expect((await listSessions({ q: "assumed-role/Admin" })).items.map((s) => s.id)).toContain(adminSessionId);
    expect((await listSessions({ q: "%" })).total).toBe(0);
  });

  it("sorts by start, end, events, identity and platform in both directions", async () => {
    const byEvents = await listSessions({ sort: "events", dir: "desc", limit: 500 });
    const counts = byEvents.items.map((s) => s.eventCount);
    expect([...counts].sort((a, b) => b - a)).toEqual(counts);
    const byPlatform = await listSessions({ sort: "platform", dir: "asc", limit: 500 });
    const platforms = byPlatform.items.map((s) => s.platform);
    expect([...platforms].sort()).toEqual(platforms);
    const byIdentity = await listSessions({ sort: "identity", dir: "asc", limit: 500 });
    const names = byIdentity.items.filter((s) => s.identity).map((s) => s.identity!.name.toLowerCase());
    expect([...names].sort()).toEqual(names);
    const byEnd = await listSessions({ sort: "end", dir: "asc", limit: 500 });
    const ends = byEnd.items.map((s) => s.endedAt);
    expect([...ends].sort()).toEqual(ends);
  });

  it("shows each session's digest: actions, changed objects, links", async () => {
    const s = (await listSessions({ q: "ci-deployer" })).items[0];
    expect(s).toMatchObject({
      platform: "aws-cloudtrail",
      identity: { name: "alice-admin" },
      initiator: { name: "alice" },
      eventCount: 3,
      links: 1,
    });
    expect(s.actions).toEqual(["AttachUserPolicy", "CreateAccessKey", "AssumeRole"]);
    expect(s.objects).toContainEqual({ type: "AWS::IAM::User", id: "ci-deployer" });
  });

  it("checks its query parameters: unknown values and bad dates are field errors", () => {
    const bad = sessionsQuery.safeParse({ kind: "robot", from: "yesterday-ish", sort: "risk", limit: "0" });
    expect(bad.success).toBe(false);
    const fields = new Set(bad.error!.issues.map((i) => i.path.join(".")));
    expect(fields).toEqual(new Set(["kind", "from", "sort", "limit"]));
    expect(sessionsQuery.parse({ platform: "", q: "  " })).toMatchObject({
      platform: undefined,
      q: undefined,
      sort: "start",
      dir: "desc",
      limit: 100,
    });
    expect(sessionsQuery.safeParse({ from: "2025-03-05", to: "2025-03-04" }).success).toBe(false);
  });
});

describe("getSessionFacets", () => {
  it("offers the platforms and identity kinds that have sessions", async () => {
    const f = await getSessionFacets();
    expect(f.platforms).toEqual(["aws-cloudtrail", "entra", "github", "m365", "okta"]);
    expect(f.kinds).toEqual(expect.arrayContaining(["human", "ai_agent", "bot", "workload"]));
    expect(f.events).toBe(25);
    expect(f.sessions).toBe((await listSessions({})).total);
  });
});

describe("getSession", () => {
  it("answers the four questions in plain words", async () => {
    const s = (await getSession({ id: adminSessionId }))!;
    expect(s.identity).toMatchObject({ name: "alice-admin" });
    expect(s.initiator).toMatchObject({ name: "alice" });
    expect(s.initiatorRule).toBe("credential_lineage");
    expect(s.answers.initiator).toMatch(/^alice \(.*\) initiated this session: the session's credential was minted in/);
    expect(s.answers.identity).toMatch(
      /alice-admin .* on AWS CloudTrail, with the aws session key ASIAQNOADMINROLE0001 \(a chain of 3 credentials\)/,
    );
    expect(s.answers.actions).toBe("3 events, 3 distinct actions: AttachUserPolicy, CreateAccessKey, AssumeRole.");
    // The user's permissions and keys changed; the managed policy attached and the role assumed did not.
    expect(s.answers.objects).toBe("Changed 1 object: AWS::IAM::User ci-deployer.");
    expect(s.objectsChanged).toEqual([{ type: "AWS::IAM::User", id: "ci-deployer", name: "ci-deployer" }]);
  });

  it("gives the credential with its lineage chain up to the root, each edge with its rule", async () => {
    const s = (await getSession({ id: adminSessionId }))!;
    expect(s.credentialChain.map((c) => [c.externalId, c.parentRule])).toEqual([
      ["ASIAQNOADMINROLE0001", "issued_by:AssumeRole"],
      ["ASIAQNOALICEMFA00001", "issued_by:GetSessionToken"],
      ["AKIAIOSFODNN7EXAMPLE", null],
    ]);
  });

  it("lists linked sessions with kind, rule, matched fields and confidence, and their events for the timeline", async () => {
    const s = (await getSession({ id: adminSessionId }))!;
    expect(s.links).toHaveLength(1);
    expect(s.links[0]).toMatchObject({
      direction: "incoming",
      kind: "credential_lineage",
      rule: "credential_minted_in_session",
      matchedFields: { credential: "ASIAQNOADMINROLE0001" },
      confidence: 1,
      session: { platform: "aws-cloudtrail", identity: { name: "alice" } },
    });
    expect(s.linkedEvents.map((e) => e.sessionId)).toEqual([s.links[0].session.id]);
    expect(s.linkedEvents[0].eventName).toBe("AssumeRole");
  });

  it("gives the events in time order with the raw record exactly as stored, its file and position, and the proof status", async () => {
    const s = (await getSession({ id: adminSessionId }))!;
    expect(s.events.map((e) => e.eventName)).toEqual(["AttachUserPolicy", "CreateAccessKey", "AssumeRole"]);
    const times = s.events.map((e) => e.time);
    expect([...times].sort()).toEqual(times);
    for (const e of s.events) {
      const stored = (await pool().query(`SELECT payload, "fileName", position FROM raw_record WHERE id = $1`, [e.raw.id])).rows[0];
      expect(e.raw.payload).toBe((stored.payload as Buffer).toString("utf8"));
      expect(e.raw.fileName).toBe(stored.fileName);
      expect(e.raw.position).toBe(Number(stored.position));
      expect(e.raw.fileName).toBe(FILES[0][1]);
      expect(e.proof).toMatchObject({ status: "included", leafIndex: e.raw.leafIndex });
      expect(e.proof.text).toMatch(/^Included in checkpoint \d+ \(leaf \d+ of \d+/);
      expect((e.normalized as { event_name: string }).event_name).toBe(e.eventName);
    }
    const sliced = (await getSession({ id: adminSessionId, eventsOffset: 1, eventsLimit: 1 }))!;
    expect(sliced.events.map((e) => e.eventName)).toEqual(["CreateAccessKey"]);
    expect(sliced.answers).toEqual(s.answers);
  });

  it("says when a record is purged or not yet checkpointed", async () => {
    const s = (await getSession({ id: adminSessionId }))!;
    const victim = s.events[0];
    await pool().query(`UPDATE raw_record SET payload = NULL, "purgedAt" = now() WHERE id = $1`, [victim.raw.id]);
    // A record appended after the latest checkpoint, carried by an event of this session.
    const sourceId = (await pool().query(`SELECT "sourceId" FROM event WHERE id = $1`, [victim.id])).rows[0].sourceId as string;
    const [late] = await append(sourceId, ['{"late": true}']);
    await pool().query(
      `INSERT INTO event ("sourceId", "rawRecordId", platform, time, "classUid", "className", activity, data, "sessionId")
       SELECT "sourceId", $2, platform, time + interval '10 minutes', "classUid", "className", activity, data, "sessionId" FROM event WHERE id = $1`,
      [victim.id, late.id],
    );
    const again = (await getSession({ id: adminSessionId }))!;
    const purged = again.events.find((e) => e.id === victim.id)!;
    expect(purged.raw.payload).toBeNull();
    expect(purged.proof).toMatchObject({ status: "purged", leafIndex: victim.raw.leafIndex });
    expect(purged.proof.text).toMatch(/^Purged by retention on .*its leaf hash \(leaf \d+\) stays and is included in checkpoint \d+\.$/);
    const pending = again.events.at(-1)!;
    expect(pending.raw.payload).toBe('{"late": true}');
    expect(pending.proof).toMatchObject({ status: "pending" });
    expect(pending.proof.text).toMatch(/^Not yet checkpointed: raw record \d+ \(leaf \d+\) was appended after checkpoint/);
  });

  it("answers null for an unknown or malformed id", async () => {
    expect(await getSession({ id: "00000000-0000-4000-8000-000000000000" })).toBeNull();
    expect(await getSession({ id: "not-a-uuid" })).toBeNull();
  });
});

describe("listIdentities / getIdentity", () => {
  it("lists identities with kind, name, email, platforms, sessions and last seen; filters and sorts", async () => {
    const all = await listIdentities({ limit: 500 });
    expect(all.total).toBe(Number((await pool().query(`SELECT count(*) FROM identity`)).rows[0].count));
    const maria = all.items.find((i) => i.displayName === "Maria Lopez")!;
    expect(maria).toMatchObject({ kind: "human", platforms: ["aws-cloudtrail", "entra", "github", "m365", "okta"] });
    expect(maria.sessions).toBe((await listSessions({ identityId: maria.id })).items.filter((s) => s.identity?.id === maria.id).length);
    expect((await listIdentities({ kind: "bot" })).items.map((i) => i.displayName)).toEqual(["github-actions[bot]"]);
    expect((await listIdentities({ platform: "m365" })).items.map((i) => i.displayName)).toEqual(["Maria Lopez"]);
    const bySessions = await listIdentities({ sort: "sessions", dir: "desc" });
    expect(bySessions.items[0].displayName).toBe("Maria Lopez");
    const byName = (await listIdentities({ sort: "name", dir: "asc", limit: 500 })).items.map((i) => i.displayName.toLowerCase());
    expect([...byName].sort()).toEqual(byName);
  });

  it("shows an identity's aliases with the merge rule and evidence, its sessions across platforms and its credentials", async () => {
    const maria = (await listIdentities({ q: "Maria Lopez" })).items[0];
    const d = (await getIdentity({ id: maria.id }))!;
    expect(d.aliasList[0].rule).toBe("first_seen");
    const merged = d.aliasList.filter((a) => a.rule !== "first_seen");
    expect(merged.length).toBeGreaterThan(0);
    for (const a of merged) {
      expect(["same_email", "same_platform_login", "transitive"]).toContain(a.rule);
      expect(Object.keys(a.evidence ?? {}).length).toBeGreaterThan(0);
    }
    expect(d.sessionsByPlatform.map((p) => p.platform).sort()).toEqual(["aws-cloudtrail", "entra", "github", "m365", "okta"]);
    expect(d.recentSessions).toHaveLength(d.sessions);

    const alice = (await listIdentities({ q: "alice" })).items.find((i) => i.displayName === "alice")!;
    const a = (await getIdentity({ id: alice.id }))!;
    expect(a.credentials.map((c) => c.externalId)).toEqual(expect.arrayContaining(["AKIAIOSFODNN7EXAMPLE", "ASIAQNOALICEMFA00001"]));
    const mfa = a.credentials.find((c) => c.externalId === "ASIAQNOALICEMFA00001")!;
    expect(mfa.parentRule).toBe("issued_by:GetSessionToken");
    expect(await getIdentity({ id: "00000000-0000-4000-8000-000000000000" })).toBeNull();
  });
});

describe("getLineage", () => {
  it("draws the chain from a credential: parents and children with their rules, the sessions that used them, links", async () => {
    const s = (await getSession({ id: adminSessionId }))!;
    const g = (await getLineage({ credentialId: s.credentialChain[0].id }))!;
    const label = (id: string) => {
      const n = g.nodes.find((x) => x.id === id)!;
      return n.type === "credential"
        ? String(n.detail.externalId)
        : n.type === "session"
          ? `session:${n.detail.sessionKey}`
          : `identity:${n.label}`;
    };
    const edges = g.edges.map((e) => `${label(e.source)} -${e.type}-> ${label(e.target)} [${e.rule}]`);
    expect(edges).toEqual(
      expect.arrayContaining([
        "AKIAIOSFODNN7EXAMPLE -parent_of-> ASIAQNOALICEMFA00001 [issued_by:GetSessionToken]",
        "ASIAQNOALICEMFA00001 -parent_of-> ASIAQNOADMINROLE0001 [issued_by:AssumeRole]",
        "ASIAQNOADMINROLE0001 -parent_of-> ASIAQNOAUDITCHAIN001 [issued_by:AssumeRole]",
        `ASIAQNOADMINROLE0001 -used_by-> session:${s.sessionKey} [session_ran_on_credential]`,
        `session:${s.links[0].session.sessionKey} -linked_to-> session:${s.sessionKey} [credential_lineage: credential_minted_in_session]`,
      ]),
    );
    expect(edges.some((e) => e.startsWith("identity:alice-admin -holds-> ASIAQNOADMINROLE0001"))).toBe(true);
    // Every edge joins two nodes of the graph, and every edge has a rule.
    const ids = new Set(g.nodes.map((n) => n.id));
    for (const e of g.edges) {
      expect(ids.has(e.source) && ids.has(e.target)).toBe(true);
      expect(e.rule.length).toBeGreaterThan(0);
    }
    expect(g.truncated).toBe(false);
    expect(g.nodes.find((n) => n.id === g.root.id)?.depth).toBe(0);
  });

  it("starts from an identity, and respects the depth and the node limit", async () => {
    const alice = (await listIdentities({ q: "alice" })).items.find((i) => i.displayName === "alice")!;
    const g = (await getLineage({ identityId: alice.id, depth: 1 }))!;
    expect(g.nodes[0]).toMatchObject({ id: alice.id, type: "identity", depth: 0 });
    expect(g.nodes.filter((n) => n.depth > 1)).toEqual([]);
    expect(g.edges.filter((e) => e.source === alice.id).every((e) => e.type === "holds" || e.type === "session_of")).toBe(true);
    expect(g.unexpanded).toBeGreaterThan(0);

    const deep = (await getLineage({ identityId: alice.id, depth: 8 }))!;
    expect(deep.nodes.length).toBeGreaterThan(g.nodes.length);
    const small = (await getLineage({ identityId: alice.id, depth: 8, limit: 3 }))!;
    expect(small.nodes).toHaveLength(3);
    expect(small.truncated).toBe(true);

    expect(await getLineage({ credentialId: "00000000-0000-4000-8000-000000000000" })).toBeNull();
    expect(lineageQuery.safeParse({}).success).toBe(false);
    expect(lineageQuery.safeParse({ credentialId: alice.id, identityId: alice.id }).success).toBe(false);
    expect(lineageQuery.safeParse({ identityId: alice.id, depth: "99" }).success).toBe(false);
  });

  it("finds roots for the search box: identities by name or alias, credentials by identifier", async () => {
    const r = await searchLineageRoots({ q: "ASIAQNOADMIN" });
    expect(r.map((x) => [x.type, x.label])).toEqual([["credential", "ASIAQNOADMINROLE0001"]]);
    const m = await searchLineageRoots({ q: "maria" });
    expect(m.some((x) => x.type === "identity" && x.label === "Maria Lopez")).toBe(true);
  });
});
