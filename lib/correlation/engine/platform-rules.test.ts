import { describe, expect, it } from "vitest";
import { correlate } from "../correlate";
import { scenarioEvent as ev } from "../testing/key-scenarios";
import { PLATFORM_RULES, type PlatformRules } from "./platform-rules";

// The engine knows platforms only through PlatformRules: rules given to correlate() replace the built-in ones.

const person = (id: string) => ({ external_id: id, email: "kim@example-corp.test" });
const sess = (key: string, key_type: string) => ({ key, key_type, root_key: null, issuer: null });
const app = { type: "app", id: "a1", name: "Acme CRM", uid: null, owner: null, labels: [], data: null } as never;
const events = () => [
  ev({
    platform: "google-workspace",
    time: "2026-11-23T09:00:00Z",
    event_name: "saml_login",
    actor: person("g-kim"),
    session: sess("G1", "google.session"),
    resources: [app],
  }),
  ev({ platform: "salesforce", time: "2026-11-23T09:01:00Z", actor: person("005-kim"), session: sess("LK1", "salesforce.login_key") }),
  ev({ platform: "salesforce", time: "2026-11-23T12:00:00Z", actor: person("005-kim"), session: sess("LK1", "salesforce.login_key") }),
];
const rules: PlatformRules = {
  ...PLATFORM_RULES,
  idpSso: new Map([
    [
      "google-workspace",
      { rule: "google_saml_sso", appName: (e) => (e.event_name === "saml_login" ? (e.resources[0]?.name ?? null) : null) },
    ],
  ]),
  appPatterns: [[/acme crm/i, "salesforce"]],
  tokenKeyTypes: new Set(["salesforce.login_key"]),
};

describe("platform rules", () => {
  it("given to correlate(), replace the built-in IdP, app-name and token-key rules", () => {
    const builtIn = correlate(events());
    expect(builtIn.links).toEqual([]);
    expect(builtIn.sessions.filter((s) => s.platform === "salesforce")).toHaveLength(1);

    const r = correlate(events(), { rules });
    // The pause of three hours splits the key that the rules call a token.
    const sf = r.sessions.filter((s) => s.platform === "salesforce");
    expect(sf.map((s) => [s.sessionKey, s.rule])).toEqual([
      ["LK1#0", "salesforce.login_key+gap"],
      ["LK1#1", "salesforce.login_key+gap"],
    ]);
    const gws = r.sessions.find((s) => s.platform === "google-workspace")!;
    expect(r.links).toEqual([
      {
        from: gws.id,
        to: sf[0].id,
        kind: "idp_to_app",
        rule: "google_saml_sso",
        matchedFields: { identity: gws.identityId, app: "Acme CRM", secondsAfterSso: 60 },
        confidence: 0.8,
      },
      // The key used again after the pause: a new session linked to the first (token_reuse).
      {
        from: sf[0].id,
        to: sf[1].id,
        kind: "token_reuse",
        rule: "token_reuse",
        matchedFields: { token: "LK1", keyType: "salesforce.login_key", reason: "long_gap" },
        confidence: 0.9,
      },
    ]);
  });
});
