import crypto from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { pool } from "@/lib/db";
import { listSessions } from "./list-sessions";

// The sessions list's index-friendly query shapes (lib/sessions/list-sessions.ts): the identity sort walked from
// identities (with identity-less sessions last), and free text split into the session's own text and matching
// identities. Checked on a built fixture against orderings and matches computed here in plain JS.
const uuid = (s: string) => {
  const h = crypto.createHash("md5").update(`list-test:${s}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
};
// Names chosen so that case and duplicates matter: "bob" and "Bob" sort together, two identities share "Carol".
const PEOPLE = [
  { key: "a", name: "alice", email: "alice@corp.example" },
  { key: "b1", name: "bob", email: "bob@corp.example" },
  { key: "b2", name: "Bob", email: null },
  { key: "c1", name: "Carol", email: "carol.one@corp.example" },
  { key: "c2", name: "Carol", email: "carol.two@corp.example" },
  { key: "z", name: "zed-bot", email: null },
];
type S = { key: string; who: string | null; by: string | null; actions: string[]; objects: { type: string; id: string }[] };
const SESSIONS: S[] = Array.from({ length: 40 }, (_, i) => ({
  key: `sess-${i}`,
  who: i % 7 === 0 ? null : PEOPLE[i % PEOPLE.length].key,
  by: i % 9 === 4 ? "z" : null,
  actions: [i % 2 ? "DeleteBucket" : "GetObject", `Action${i % 5}`],
  objects: [{ type: "bucket", id: `bucket-${i % 3}` }],
}));

beforeAll(async () => {
  const c = pool();
  for (const p of PEOPLE) {
    await c.query(`INSERT INTO identity (id, kind, "displayName", "primaryEmail") VALUES ($1, $2::"IdentityKind", $3, $4)`, [
      uuid(p.key),
      p.key === "z" ? "bot" : "human",
      p.name,
      p.email,
    ]);
  }
  for (const [i, s] of SESSIONS.entries()) {
    await c.query(
      `INSERT INTO session (id, platform, "sessionKey", "keyType", rule, "identityId", "initiatorIdentityId", "startedAt", "endedAt", "srcIps", summary)
       VALUES ($1, 'okta', $2, 'native', 'platform_session_key', $3, $4, $5, $5, '{}', $6)`,
      [
        uuid(s.key),
        s.key,
        s.who ? uuid(s.who) : null,
        s.by ? uuid(s.by) : null,
        new Date(Date.UTC(2026, 0, 1, i)),
        JSON.stringify({ actions: s.actions, objects: s.objects }),
      ],
    );
  }
});

const person = (key: string | null) => PEOPLE.find((p) => p.key === key);

describe("listSessions", () => {
  for (const dir of ["asc", "desc"] as const) {
    it(`sorts by identity name ${dir}, ties by id, sessions without an identity last, and pages without gaps`, async () => {
      const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
      const want = [...SESSIONS]
        .map((s) => ({ id: uuid(s.key), name: person(s.who)?.name.toLowerCase() ?? null }))
        .sort((x, y) => {
          if ((x.name === null) !== (y.name === null)) return x.name === null ? 1 : -1;
          const d = (x.name !== null && y.name !== null ? cmp(x.name, y.name) : 0) || cmp(x.id, y.id);
          return dir === "asc" ? d : -d;
        })
        .map((x) => x.id);
      const all = await listSessions({ sort: "identity", dir, limit: 500 });
      expect(all.total).toBe(SESSIONS.length);
      expect(all.items.map((s) => s.id)).toEqual(want);
      const paged = [];
      for (let off = 0; off < SESSIONS.length; off += 7)
        paged.push(...(await listSessions({ sort: "identity", dir, offset: off, limit: 7 })).items.map((s) => s.id));
      expect(paged).toEqual(want);
      // Filters apply in both branches: okta sessions of humans only.
      const humans = await listSessions({ sort: "identity", dir, kind: "human", limit: 500 });
      expect(humans.items.map((s) => s.id)).toEqual(
        want.filter(
          (id) => SESSIONS.find((s) => uuid(s.key) === id)!.who !== null && SESSIONS.find((s) => uuid(s.key) === id)!.who !== "z",
        ),
      );
    });
  }

  it("finds free text in the identity's name or email, the initiator's name, the session key, its actions and objects", async () => {
    const match = (q: string) => {
      const l = q.toLowerCase();
      const has = (v: string | null | undefined) => Boolean(v && v.toLowerCase().includes(l));
      return SESSIONS.filter(
        (s) =>
          has(person(s.who)?.name) ||
          has(person(s.who)?.email) ||
          has(person(s.by)?.name) ||
          has(s.key) ||
          s.actions.some(has) ||
          s.objects.some((o) => has(o.id) || has(o.type)),
      )
        .map((s) => uuid(s.key))
        .sort();
    };
    for (const q of ["carol.two@", "CAROL", "zed-bot", "sess-1", "deletebucket", "Action3", "bucket-2", "nothing-like-this"]) {
      const got = (await listSessions({ q, limit: 500 })).items.map((s) => s.id).sort();
      expect(got, q).toEqual(match(q));
    }
    // LIKE wildcards in the text match literally.
    expect((await listSessions({ q: "sess_1" })).total).toBe(0);
    expect((await listSessions({ q: "%" })).total).toBe(0);
  });
});
