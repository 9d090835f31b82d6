import { actorEmail } from "./account-keys";
import { networkOf } from "./platform-rules";
import { newAccount, type Account, type CorrelationState, type Cred } from "./state";
import { bump } from "./tally";

// Part of phase 1 (scan): credentials a person minted for something else to use, and which credential an event
// used under the id its minting event issued it (PlatformRules.credentialAlias).
//
// 1. Alias: a used credential whose record also names the id it was issued under (GitHub token_id = the
//    user_programmatic_access_id of personal_access_token.create) was minted by that event: its sessions' lineage
//    starts in the minting session (links: credential_minted_in_session; a person's session behind an NHI's).
// 2. Delegation (issue 14 §2, §4: "an API token used by a machine is the NHI identity used, and the human who created
//    it is behind it"). A platform records a token's use as its owner's (GitHub: "the actor is the user who owns the
//    token"); whether the owner or something else held it, the record does not say. The rule: a token of a
//    delegable kind (rules.delegableCredentialKinds: GitHub PATs) whose minting by a person is in the log, and none
//    of whose uses comes from the minting session's network (IPv4 /24, IPv6 /64) or client (user agent), is used by
//    something other than that person: its uses become the token's own identity (kind api_token; the person stays
//    the human behind it, through the minted credential). A token the person also uses from where they made it, or
//    one whose minting is not in the log, stays the person's: a person's own token reused from a new network is
//    still that person (token_reuse), not a service.

/** The token account of a delegated credential: keyed by the credential, kind api_token, named after the token. */
function tokenAccount(st: CorrelationState, platform: string, c: Cred, name: string | null, first: string): Account {
  const key = `${platform}|token|${c.out.externalId}`;
  let acc = st.accounts.get(key);
  if (!acc) {
    acc = newAccount(key, platform, c.out.externalId, null, first);
    acc.memoSet = true;
    st.accounts.set(key, acc);
  }
  bump(acc.names, name);
  return acc;
}

/** Takes one event's votes off an account (after the scan counted them). */
function unvote(m: Map<string, number>, k: string | null): void {
  if (k === null) return;
  const n = (m.get(k) ?? 0) - 1;
  if (n > 0) m.set(k, n);
  else m.delete(k);
}

/** aliasUses: events (indexes) whose used credential the platform names under another id too, with that id. */
export function readDelegatedTokens(st: CorrelationState, aliasUses: readonly { i: number; alias: string }[]): void {
  const { events, evCred, evAccount } = st;
  const byCred = new Map<Cred, { alias: string; minted: number; uses: number[] }>();
  for (const { i, alias } of aliasUses) {
    const c = evCred[i]!;
    let g = byCred.get(c);
    if (!g) {
      const issued = st.credByPlatform.get(events[i].data.platform)?.get(alias);
      byCred.set(c, (g = { alias, minted: issued && issued !== c ? issued.minted : -1, uses: [] }));
    }
    g.uses.push(i);
  }
  for (const [c, { alias, minted: m, uses }] of byCred) {
    if (m < 0) continue;
    if (c.minted < 0) c.minted = m; // 1. the token this event minted
    if (!st.rules.delegableCredentialKinds.has(c.out.kind)) continue;
    const me = events[m].data;
    const owner = evAccount[m];
    if (!owner || me.actor.kind_hint !== "human" || !uses.every((i) => evAccount[i] === owner)) continue;
    const net = me.src_endpoint.ip ? networkOf(me.src_endpoint.ip) : null;
    const elsewhere = uses.every((i) => {
      const e = events[i].data;
      return (e.src_endpoint.ip === null || networkOf(e.src_endpoint.ip) !== net) && e.user_agent !== me.user_agent;
    });
    if (!elsewhere) continue;
    // 2. Delegated: the uses move from the owner's account to the token's.
    const name = me.resources.find((r) => r.id === alias)?.name ?? null;
    const token = tokenAccount(st, me.platform, c, name, events[uses[0]].data.time);
    for (const i of uses) {
      const a = events[i].data.actor;
      unvote(owner.kinds, a.kind_hint);
      unvote(owner.names, a.name ?? a.login);
      unvote(owner.emails, actorEmail(a.email, a.login));
      evAccount[i] = token;
      bump(token.kinds, "api_token");
      if (events[i].data.time > token.last) token.last = events[i].data.time;
    }
    c.account = token;
  }
}
