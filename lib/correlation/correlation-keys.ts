import { DEFAULT_TENANT } from "@/lib/context/request-context";
import type { NormalizedEventJson } from "@/lib/events/schema";
import { eventRepo, oidcRepo, PLATFORM_RULES } from "./engine/platform-rules";
import { accountKey, accountKeyType, accountKeyValue, emailKey, initiatorOf, loginEmail, platformLoginKey } from "./engine/account-keys";

// The values the correlation engine (correlate.ts) joins events on. Two events that share no key, directly or
// through a chain of events, never influence each other's identity, session, credential or links; so an
// incremental run re-correlates the closure of a new batch's keys and gets exactly what a full pass would give
// for those events. The list must stay a superset of the engine's joins:
//  - identity: the actor's account (platform + id, else login, else name), its email (actor email or an
//    email-shaped login), its login on the platform; the same for a delegating initiator (extra.initiator);
//    heuristic sessions and IdP single sign-on links join within one identity, so they are covered too;
//  - session: the platform session key value, on any platform and key type (shared-key links and the stored
//    key's de-duplication both compare the bare value), and the platform's flow id (correlation_id);
//  - credentials: the key an event used, its declared parent, the id it was issued under (rules.credentialAlias),
//    every credential it issued and their parents.
//
// Where they are looked up (incremental.ts), to keep the stored rows few (about one per event, not six):
//  - every event sharing an identity key ends up in ONE identity (that is the engine's merge rule), so an
//    identity key is stored once, with one representative event; the search goes from it to its identity and
//    from there to all of that identity's events (event."identityId" is indexed). An initiator's keys are the
//    exception (the event belongs to the actor's identity, not the initiator's): stored per event, as "ini|…";
//  - the session key and the used credential key are event columns with their own indexes ("sessionKey",
//    "credentialKey"): not stored again;
//  - the flow id, a declared parent credential and issued credentials: stored per event.
// Hashed keys are prefixed with the tenant constant (as they always were, so stored keys stay valid). A hash
// collision only joins more events (more work, same result), never fewer.
// The account, email, login and initiator rules come from engine/account-keys.ts, where the engine reads them too.

/** cyrb53: a fast 53-bit string hash, exact as a JavaScript number and as a PostgreSQL bigint. */
function keyHash(s: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

type ActorLike = { external_id: string | null; login: string | null; name: string | null; email?: string | null };

// Both the actor's email and an email-shaped login are keys (the engine merges on the email, else the login):
// a superset of the engine's join, which costs at most a larger closure.
function actorKeys(platform: string, a: ActorLike): string[] {
  const out: string[] = [];
  const type = accountKeyType(a.external_id, a.login, a.name);
  if (type !== -1) out.push(`acct|${accountKey(platform, type, accountKeyValue(type, a.external_id, a.login, a.name))}`);
  const email = emailKey(a.email);
  if (email) out.push(`email|${email}`);
  if (a.login) {
    const asEmail = loginEmail(a.login);
    if (asEmail) out.push(`email|${asEmail}`);
    out.push(`login|${platformLoginKey(platform, a.login)}`);
  }
  return out;
}

/** An event's keys, by where they are stored and looked up (see above). */
export type EventKeys = {
  /** The actor's identity keys. */
  identity: string[];
  /** A delegating initiator's identity keys. */
  initiator: string[];
  /** The platform session key (event."sessionKey"). */
  sessionKey: string | null;
  /** Every credential key the event names, as `cred|platform|key`; the used one is also event."credentialKey". */
  credentials: string[];
  /** The flow id, as `flow|platform|id`. */
  flow: string | null;
  /**
   * Links between identities without a shared key (engine/links.ts): the source address in a time bucket as long as
   * the same-IP window, given for the event's bucket and the next (two events within the window share one);
   * a GitHub repository named by a workflow event or an OIDC subject; workflow events and Entra federated sign-ins
   * in the same way by 10-minute bucket.
   */
  linkKeys: string[];
};

const bucketKeys = (prefix: string, t: number, width: number) => {
  const b = Math.floor(t / width);
  return [`${prefix}|${b}`, `${prefix}|${b + 1}`];
};

function linkKeysOf(e: NormalizedEventJson): string[] {
  const out: string[] = [];
  const t = Date.parse(e.time);
  if (e.src_endpoint?.ip) out.push(...bucketKeys(`ipw|${e.src_endpoint.ip}`, t, PLATFORM_RULES.sameIpWindowMs));
  const subjectRepo = e.actor.type === "WebIdentityUser" && e.issued_credentials?.length ? oidcRepo(e.actor.login) : null;
  if (subjectRepo) out.push(`oidc|${subjectRepo}`);
  if (PLATFORM_RULES.ciJobEvent.get(e.platform)?.(e)) {
    const repo = eventRepo(e);
    if (repo) out.push(`oidc|${repo}`);
    out.push(...bucketKeys("fedw", t, 10 * 60_000));
  }
  if (PLATFORM_RULES.federatedSignIn.get(e.platform)?.(e)) out.push(...bucketKeys("fedw", t, 10 * 60_000));
  return out;
}

export function eventKeys(e: NormalizedEventJson): EventKeys {
  const ini = initiatorOf(e.extra);
  const initiator = ini ? actorKeys(e.platform, { external_id: ini.external_id, login: ini.login, name: ini.name }) : [];
  const credentials: string[] = [];
  if (e.credential?.key) credentials.push(`cred|${e.platform}|${e.credential.key}`);
  if (e.credential?.parent_key) credentials.push(`cred|${e.platform}|${e.credential.parent_key}`);
  // The id the used credential was issued under (engine/delegated-tokens.ts joins its uses to the minting event).
  const alias = e.credential?.key ? (PLATFORM_RULES.credentialAlias.get(e.platform)?.(e) ?? null) : null;
  if (alias !== null && alias !== e.credential!.key) credentials.push(`cred|${e.platform}|${alias}`);
  for (const ic of e.issued_credentials ?? []) {
    credentials.push(`cred|${e.platform}|${ic.key}`);
    if (ic.parent_key) credentials.push(`cred|${e.platform}|${ic.parent_key}`);
  }
  return {
    identity: actorKeys(e.platform, e.actor),
    initiator,
    sessionKey: e.session?.key || null,
    credentials,
    flow: e.correlation_id ? `flow|${e.platform}|${e.correlation_id}` : null,
    linkKeys: linkKeysOf(e),
  };
}

/** All keys of one event as readable strings (the join relation itself; tests check it against the engine). */
export function correlationKeyStrings(e: NormalizedEventJson): string[] {
  const k = eventKeys(e);
  return [
    ...k.identity,
    ...k.initiator,
    ...(k.sessionKey ? [`skey|${k.sessionKey}`] : []),
    ...(k.flow ? [k.flow] : []),
    ...k.credentials,
    ...k.linkKeys,
  ];
}

export const hashKey = (key: string) => keyHash(`${DEFAULT_TENANT}\u0000${key}`);

/**
 * The rows to store for one event: `perEvent` (an initiator's keys, the flow id, credentials other than the
 * used one) and `representative` (identity keys: stored only when no event holds them yet).
 */
export function storedKeys(e: NormalizedEventJson): { perEvent: number[]; representative: number[] } {
  const k = eventKeys(e);
  const used = e.credential?.key ? `cred|${e.platform}|${e.credential.key}` : null;
  const perEvent = [
    ...k.initiator.map((x) => `ini|${x}`),
    ...(k.flow ? [k.flow] : []),
    ...k.credentials.filter((c) => c !== used),
    ...k.linkKeys,
  ];
  return {
    perEvent: [...new Set(perEvent.map((x) => hashKey(x)))],
    representative: [...new Set(k.identity.map((x) => hashKey(x)))],
  };
}
