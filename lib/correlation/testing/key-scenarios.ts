import { eventSkeleton, ocsfClass, toEventJson, type NormalizedEvent } from "@/lib/events/schema";
import type { CorrelationEvent } from "../types";

// Small event sets that join through ONE kind of correlation key each, without a shared identity (an identity
// alone would pull both sides in): the tests of correlation-keys.ts (pure) and of the incremental run (stored)
// use them to prove that every kind of key is found. `t` makes every value of a set unique, so several copies
// can sit in one database.

let seq = 0;
type Over = Omit<Partial<NormalizedEvent>, "actor" | "time"> & { time: string; actor?: Partial<NormalizedEvent["actor"]> };
export function scenarioEvent(over: Over): CorrelationEvent {
  const { actor, time, ...rest } = over;
  const e: NormalizedEvent = {
    ...eventSkeleton({
      platform: "okta",
      ...ocsfClass(6003),
      activity: "read",
      event_name: "x",
      time: new Date(time),
      actor: { external_id: null, name: null, login: null, email: null, type: null, kind_hint: "human", ...actor },
    }),
    status: "success",
    ...rest,
  };
  const id = String(++seq);
  return { id, file: "test.json", index: Number(id), data: toEventJson(e) };
}
const ev = scenarioEvent;
const sess = (key: string, key_type: string) => ({ key, key_type, root_key: null, issuer: null });
const cred = (key: string, parent_key: string | null = null) => ({
  key,
  key_type: "aws.access_key_id",
  kind: "aws_session_key" as const,
  native_type: null,
  parent_key,
  parent_key_type: null,
  parent_kind: null,
});
const issued = (key: string, parent_key: string) => ({
  key,
  key_type: "aws.access_key_id",
  kind: "aws_session_key" as const,
  native_type: null,
  parent_key,
  parent_key_type: null,
  principal: null,
  source_identity: null,
  expiration: null,
});

export const keyScenarios: Record<string, (t: string) => CorrelationEvent[]> = {
  // An actorless event joins the session of its key; Entra's sessionId seen in M365 under an unrelated account.
  "session key": (t) => [
    ev({
      platform: "okta",
      time: "2026-11-23T09:00:00Z",
      actor: { external_id: `00u-a${t}`, login: `a${t}@x.test` },
      session: sess(`S1${t}`, "okta.externalSessionId"),
    }),
    ev({ platform: "okta", time: "2026-11-23T09:05:00Z", session: sess(`S1${t}`, "okta.externalSessionId") }),
    ev({
      platform: "entra",
      time: "2026-11-23T10:00:00Z",
      actor: { external_id: `oid-b${t}` },
      session: sess(`E9${t}`, "entra.session_id"),
    }),
    ev({
      platform: "m365",
      time: "2026-11-23T10:02:00Z",
      actor: { external_id: `puid-c${t}` },
      session: sess(`E9${t}`, "m365.aad_session_id"),
    }),
  ],
  // Snowflake: the login row has no session id, the session row shares its flow id; different actor records.
  "flow id": (t) => [
    ev({ platform: "snowflake", time: "2026-11-23T11:00:00Z", actor: { login: `BOB${t}` }, correlation_id: `L77${t}` }),
    ev({
      platform: "snowflake",
      time: "2026-11-23T11:00:01Z",
      session: sess(`SF1${t}`, "snowflake.session_id"),
      correlation_id: `L77${t}`,
    }),
  ],
  // AWS: alice's call mints a role credential; the role (another actor) uses it; then a chain from it.
  "issued credential": (t) => [
    ev({
      platform: "aws-cloudtrail",
      time: "2026-11-23T12:00:00Z",
      actor: { external_id: `AIDA-alice${t}` },
      credential: cred(`AKIA-alice${t}`),
      issued_credentials: [issued(`ASIA-role${t}`, `AKIA-alice${t}`)],
    }),
    ev({
      platform: "aws-cloudtrail",
      time: "2026-11-23T12:01:00Z",
      actor: { external_id: `AROA-role:s1${t}` },
      credential: cred(`ASIA-role${t}`),
      session: sess(`ASIA-role${t}`, "aws.access_key_id"),
    }),
    ev({
      platform: "aws-cloudtrail",
      time: "2026-11-23T12:02:00Z",
      actor: { external_id: `AROA-other:s2${t}` },
      credential: cred(`ASIA-child${t}`, `ASIA-role${t}`),
      session: sess(`ASIA-child${t}`, "aws.access_key_id"),
    }),
  ],
  // Salesforce Login-As: the admin is named (with a display name) only in extra.initiator of two users' events;
  // the admin's own sign-in comes last (in the forward order) and must find both.
  initiator: (t) => [
    ev({
      platform: "salesforce",
      time: "2026-11-23T13:00:00Z",
      actor: { external_id: `005-user${t}` },
      session: sess(`LK1${t}`, "salesforce.login_key"),
      extra: { initiator: { external_id: `005-admin${t}`, name: "Admin Person", via: "login_as" } },
    }),
    ev({
      platform: "salesforce",
      time: "2026-11-23T13:30:00Z",
      actor: { external_id: `005-user2${t}` },
      session: sess(`LK2${t}`, "salesforce.login_key"),
      extra: { initiator: { external_id: `005-admin${t}`, name: "Admin Person", via: "login_as" } },
    }),
    ev({
      platform: "salesforce",
      time: "2026-11-23T13:10:00Z",
      actor: { external_id: `005-admin${t}`, email: `adm${t}@x.test` },
      session: sess(`LK0${t}`, "salesforce.login_key"),
    }),
  ],
  // One platform, one login: an account known by id and one known only by its login are the same person.
  "platform login": (t) => [
    ev({ platform: "github", time: "2026-11-23T15:00:00Z", actor: { external_id: `4242${t}`, login: `octo${t}` }, user_agent: "git/2" }),
    ev({ platform: "github", time: "2026-11-23T15:05:00Z", actor: { login: `Octo${t}` }, user_agent: "git/2" }),
  ],
  // A token used under its own key (hashed_token) that names the id it was issued under (token_id): its minting event
  // is where its lineage starts (PlatformRules.credentialAlias), with no shared identity (the use names no actor).
  "credential alias": (t) => [
    ev({
      platform: "github",
      time: "2026-11-23T16:00:00Z",
      event_name: "personal_access_token.create",
      actor: { external_id: `4343${t}`, login: `lee${t}` },
      user_agent: "Mozilla/5.0",
      src_endpoint: { ip: "192.0.2.62", location: null },
      issued_credentials: [
        {
          key: `77${t}`,
          key_type: "github.user_programmatic_access_id",
          kind: "pat",
          native_type: "personal access token",
          parent_key: null,
          parent_key_type: null,
          principal: null,
          source_identity: null,
          expiration: null,
        },
      ],
    }),
    ev({
      platform: "github",
      time: "2026-11-23T17:00:00Z",
      event_name: "api.request",
      session: sess(`H${t}`, "github.hashed_token"),
      credential: {
        key: `H${t}`,
        key_type: "github.hashed_token",
        kind: "pat",
        native_type: "Fine-grained personal access token",
        parent_key: null,
        parent_key_type: null,
        parent_kind: null,
      },
      user_agent: "release-bot/1.2",
      src_endpoint: { ip: "198.51.100.150", location: null },
      extra: { token_id: `77${t}` },
    }),
  ],
  // One person on two platforms, joined only by email; an IdP SSO event opens the app session.
  "email and sso": (t) => [
    ev({
      platform: "okta",
      time: "2026-11-23T14:00:00Z",
      event_name: "user.authentication.sso",
      actor: { external_id: `00u-d${t}`, email: `d${t}@x.test` },
      session: sess(`O5${t}`, "okta.externalSessionId"),
      resources: [{ type: "AppInstance", id: "app1", name: "Slack", uid: null, owner: null, labels: [], data: null } as never],
    }),
    ev({
      platform: "slack",
      time: "2026-11-23T14:01:00Z",
      actor: { external_id: `U-d${t}`, email: `D${t}@x.test` },
      user_agent: "ua",
      src_endpoint: { ip: "192.0.2.1", location: null },
    }),
    ev({
      platform: "slack",
      time: "2026-11-23T14:20:00Z",
      actor: { external_id: `U-d${t}` },
      user_agent: "ua",
      src_endpoint: { ip: "192.0.2.1", location: null },
    }),
  ],
};
