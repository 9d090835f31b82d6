import { describe, expect, it } from "vitest";
import { toEventJson } from "@/lib/events/schema";
import { github } from "@/lib/sources/github";
import { correlate } from "../correlate";
import { projectCorrelationData } from "./projection";
import type { CorrelationEvent } from "../types";

// Issue 14 §2/§4: a personal access token a person minted and something else then uses (never from where the person
// made it) is the NHI identity of its uses (api_token), with the person behind it; the person's own token stays theirs.

const BROWSER = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const base = { actor: "dev-lee", actor_id: 2000102, org: "acme", org_id: 91000001 };
const login = (t: number) => ({
  ...base,
  "@timestamp": t,
  _document_id: `l${t}`,
  action: "user.login",
  actor_ip: "192.0.2.62",
  user_agent: BROWSER,
});
const create = (t: number) => ({
  ...base,
  "@timestamp": t,
  _document_id: `c${t}`,
  action: "personal_access_token.create",
  actor_ip: "192.0.2.62",
  user_agent: BROWSER,
  user_programmatic_access_id: 91000077,
  user_programmatic_access_name: "release-token",
});
const use = (t: number, ip: string, ua: string) => ({
  ...base,
  "@timestamp": t,
  _document_id: `u${t}`,
  action: "api.request",
  actor_ip: ip,
  user_agent: ua,
  request_method: "POST",
  url: "/repos/acme/app/releases",
  status_code: 201,
  repo: "acme/app",
  hashed_token: "HASHEDTOKENEXAMPLE=",
  programmatic_access_type: "Fine-grained personal access token",
  token_id: 91000077,
});
const T0 = Date.parse("2026-11-03T08:00:00Z");
const MIN = 60_000;

/** The records through the GitHub source, stored-and-loaded as correlation reads them (projection). */
function run(records: object[]) {
  const events: CorrelationEvent[] = records.map((r, i) => ({
    id: (r as { _document_id: string })._document_id,
    file: "audit.jsonl",
    index: i,
    data: projectCorrelationData(toEventJson(github.normalize(r, { fileName: "audit.jsonl", position: i })[0])),
  }));
  const r = correlate(events);
  const identityOf = (id: string) => r.identities.find((x) => x.id === r.eventIdentity[r.eventIds.indexOf(id)]);
  const sessionOf = (id: string) => r.sessions.find((s) => s.eventIds.includes(id))!;
  return { r, identityOf, sessionOf };
}

describe("a personal access token used by something else than the person who made it", () => {
  it("is the token's own identity (api_token), with the person behind it: human_behind_nhi link and initiator", () => {
    const { r, identityOf, sessionOf } = run([
      login(T0),
      create(T0 + 3 * MIN),
      use(T0 + 60 * MIN, "198.51.100.150", "release-bot/1.2 (go-github/v66)"),
      use(T0 + 61 * MIN, "198.51.100.150", "release-bot/1.2 (go-github/v66)"),
    ]);
    expect(identityOf("l" + T0)).toMatchObject({ kind: "human", displayName: "dev-lee" });
    const token = identityOf("u" + (T0 + 60 * MIN))!;
    expect(token).toMatchObject({ kind: "api_token", displayName: "release-token" });
    expect(identityOf("u" + (T0 + 61 * MIN))!.id).toBe(token.id);
    expect(r.identities.find((i) => i.displayName === "dev-lee")!.kind).toBe("human");
    const web = sessionOf("l" + T0);
    const bot = sessionOf("u" + (T0 + 60 * MIN));
    expect(r.links).toContainEqual(
      expect.objectContaining({ from: web.id, to: bot.id, kind: "human_behind_nhi", rule: "human_behind_nhi:minted_credential" }),
    );
    expect(bot.initiatorIdentityId).toBe(web.identityId);
    expect(r.credentials.find((c) => c.externalId === "HASHEDTOKENEXAMPLE=")!.identityId).toBe(token.id);
  });

  it("stays the person's when the person also uses it from where they made it", () => {
    const { identityOf } = run([
      login(T0),
      create(T0 + 3 * MIN),
      use(T0 + 10 * MIN, "192.0.2.62", "gh/2.62.0 (macOS)"),
      use(T0 + 60 * MIN, "198.51.100.150", "release-bot/1.2 (go-github/v66)"),
    ]);
    expect(identityOf("u" + (T0 + 60 * MIN))).toMatchObject({ kind: "human", displayName: "dev-lee" });
  });

  it("stays the person's when its minting is not in the log (a person's token reused elsewhere is still theirs)", () => {
    const { r, identityOf } = run([login(T0), use(T0 + 60 * MIN, "198.51.100.150", "python-requests/2.32.3")]);
    expect(identityOf("u" + (T0 + 60 * MIN))).toMatchObject({ kind: "human", displayName: "dev-lee" });
    expect(r.identities).toHaveLength(1);
  });
});
