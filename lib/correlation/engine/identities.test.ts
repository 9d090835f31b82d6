import { describe, expect, it } from "vitest";
import { correlate } from "../correlate";
import { scenarioEvent as ev } from "../testing/key-scenarios";
import { accountKind, kindsConflict } from "./identities";

// The identity merge guard (issue 14 §2): merges record their evidence and strength, kinds that conflict never
// merge through an email or login, and a weak key (an email held by an account whose records never say what it
// is) attaches that account to one identity without bridging two.

const person = (platform: string, id: string, email: string, time = "2026-11-23T09:00:00Z") =>
  ev({ platform, time, actor: { external_id: id, login: email, email, kind_hint: "human" } });

describe("identity merge guard", () => {
  it("merges one person's accounts by email as a strong merge, with its evidence", () => {
    const r = correlate([person("okta", "00u1", "maria@acme.test"), person("google-workspace", "1101", "maria@acme.test")]);
    expect(r.identities).toHaveLength(1);
    const merged = r.identities[0].aliases.find((a) => a.rule !== "first_seen")!;
    expect(merged).toMatchObject({ rule: "same_email", evidence: { email: "maria@acme.test", strength: "strong" } });
  });

  it("never merges a person with a workload, an app registration or a service account that carries their email", () => {
    // A role session named after the person (the role session name is an email) is a workload: its person is its
    // initiator, not the same identity; an Entra service principal whose owner email is on the record neither.
    const r = correlate([
      person("okta", "00u1", "carol@acme.test"),
      ev({
        platform: "aws-cloudtrail",
        time: "2026-11-23T09:05:00Z",
        actor: { external_id: "AROAEXAMPLE:carol@acme.test", login: "carol@acme.test", name: "carol@acme.test", kind_hint: "workload" },
      }),
      ev({
        platform: "entra",
        time: "2026-11-23T09:06:00Z",
        actor: { external_id: "sp-1", login: "carol@acme.test", email: "carol@acme.test", kind_hint: "workload" },
      }),
      ev({
        platform: "snowflake",
        time: "2026-11-23T09:07:00Z",
        actor: { login: "carol@acme.test", email: "carol@acme.test", kind_hint: "service_account" },
      }),
    ]);
    const kinds = r.identities.map((i) => i.kind).sort();
    // The two workloads share the email and are the same kind: one workload identity; the person and the service
    // account stay apart.
    expect(kinds).toEqual(["human", "service_account", "workload"]);
  });

  it("attaches an account of unknown kind to the one identity holding its email, as a weak merge", () => {
    const r = correlate([
      person("okta", "00u1", "dana@acme.test"),
      ev({
        platform: "aws-cloudtrail",
        time: "2026-11-23T09:05:00Z",
        actor: { external_id: "AIDA1", login: "dana@acme.test", kind_hint: "unknown" },
      }),
    ]);
    expect(r.identities).toHaveLength(1);
    expect(r.identities[0].kind).toBe("human");
    expect(r.identities[0].aliases.find((a) => a.platform === "aws-cloudtrail")).toMatchObject({
      rule: "same_email_weak",
      evidence: { email: "dana@acme.test", strength: "weak" },
    });
  });

  it("a weak key never bridges two identities, and weak keys do not chain", () => {
    // An unknown-kind account whose records carry the emails of two people joins one of them, never both.
    const bridge = (email: string, time: string) =>
      ev({ platform: "snowflake", time, actor: { login: "SHARED_ETL", email, kind_hint: "unknown" } });
    const r = correlate([
      person("okta", "00u1", "ana@acme.test"),
      person("okta", "00u2", "bo@acme.test"),
      bridge("ana@acme.test", "2026-11-23T09:05:00Z"),
      bridge("bo@acme.test", "2026-11-23T09:06:00Z"),
    ]);
    const people = r.identities.filter((i) => i.kind === "human");
    expect(people).toHaveLength(2);
    for (const p of people) expect(p.aliases.filter((a) => a.platform === "okta")).toHaveLength(1);

    // Three accounts of unknown kind: A1 and A2 share one email, A2 and A3 another. A2 joins A1; A3 is not
    // pulled in through A2 (that would be a chain of weak keys).
    const u = (id: string, email: string, time = "2026-11-23T09:05:00Z") =>
      ev({ platform: "aws-cloudtrail", time, actor: { external_id: id, email, kind_hint: "unknown" } });
    const chain = correlate([
      u("A1", "x@acme.test"),
      u("A2", "x@acme.test"),
      u("A2", "y@acme.test", "2026-11-23T09:06:00Z"),
      u("A3", "y@acme.test"),
    ]);
    expect(chain.identities.map((i) => i.aliases.map((a) => a.externalId).sort())).toEqual(expect.arrayContaining([["A1", "A2"], ["A3"]]));
    expect(chain.identities).toHaveLength(2);
  });

  it("reads an account's kind from its known votes, and only known, different kinds conflict", () => {
    expect(
      accountKind(
        new Map([
          ["unknown", 5],
          ["workload", 1],
        ]),
      ),
    ).toBe("workload");
    expect(accountKind(new Map())).toBe("unknown");
    expect(kindsConflict("human", "workload")).toBe(true);
    expect(kindsConflict("human", "unknown")).toBe(false);
    expect(kindsConflict("human", "human")).toBe(false);
  });
});
