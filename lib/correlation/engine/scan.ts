import type { CredentialKind } from "@/lib/events/schema";
import type { CredentialOut } from "../types";
import { accountKey, accountKeyType, accountKeyValue, actorEmail, hasInitiator, initiatorOf, loginEmail } from "./account-keys";
import { readDelegatedTokens } from "./delegated-tokens";
import { stableId } from "./ids";
import { appPlatform, oidcRepo } from "./platform-rules";
import { newAccount, type Account, type AccountIndex, type CorrelationState, type Cred } from "./state";
import { add, bump } from "./tally";

// Phase 1: one pass over the events for what every later phase starts from: accounts, credentials and their
// proven parents, the flow ids keyless events ask for, IdP single sign-on events and delegation evidence. One
// pass, because each pass over a million scattered event objects costs its memory traffic.

export function scanEvents(st: CorrelationState): void {
  const { n, events, evAccount, evCred, evCredId, ssoCandidates } = st;
  const { idpSso, tokenKeyTypes } = st.rules;
  // A keyless event that shares the platform's own flow id (correlation_id) with a keyed event belongs to that
  // event's session: Snowflake's LOGIN_HISTORY row (EVENT_ID) and its SESSIONS row (LOGIN_EVENT_ID, SESSION_ID).
  // Most keyed events carry a flow id (a request id) that no keyless event asks for, so the pass only notes
  // both kinds of event, and the map is built afterwards from the keyed events whose flow id is asked for.
  const flowKeyed: number[] = [];
  const flowKeyless: number[] = [];
  const appTargets = new Map<string, string | null>();
  const delegating: number[] = [];
  const aliasUses: { i: number; alias: string }[] = [];
  for (let i = 0; i < n; i++) {
    const ev = events[i];
    const e = ev.data;
    const actor = e.actor;
    const acc = findAccount(st, e.platform, actor.external_id, actor.login, actor.name, e.time);

    const cr = e.credential;
    if (cr?.key) {
      const c = touchCred(st, e.platform, cr.key, cr.kind, cr.key_type, e.time, true);
      evCred[i] = c;
      evCredId[i] = c.out.id;
      if (c.keyedBy < 0 && e.session?.key) c.keyedBy = i;
      if (acc && c.account === null) c.account = acc;
      if (cr.parent_key) {
        const p = touchCred(st, e.platform, cr.parent_key, cr.parent_kind ?? "unknown", cr.parent_key_type, null, false);
        setParent(c.out, p.out, "declared_parent", cr.key_type ?? "key", ev.id, "credential.parent_key");
      }
      const aliasOf = st.rules.credentialAlias.get(e.platform);
      const alias = aliasOf ? aliasOf(e) : null;
      if (alias !== null && alias !== cr.key) aliasUses.push({ i, alias });
    }
    const issued = e.issued_credentials;
    for (let k = 0; k < issued.length; k++) {
      const ic = issued[k];
      const child = touchCred(st, e.platform, ic.key, ic.kind, ic.key_type, e.time, false);
      if (child.minted < 0) child.minted = i;
      if (ic.parent_key) {
        const p = touchCred(st, e.platform, ic.parent_key, "unknown", ic.parent_key_type, null, false);
        setParent(child.out, p.out, "issued_by", e.event_name, ev.id, "issued_credentials.parent_key");
      }
    }

    if (e.correlation_id) {
      const sk = e.session;
      if (!sk?.key) flowKeyless.push(i);
      else if (!tokenKeyTypes.has(sk.key_type)) flowKeyed.push(i);
    }

    const sso = idpSso.get(e.platform);
    if (sso !== undefined && e.status !== "failure") {
      const appName = sso.appName(e);
      if (appName) {
        let target = sso.target ?? appTargets.get(appName);
        if (target === undefined) appTargets.set(appName, (target = appPlatform(appName, st.rules)));
        if (target && (target !== e.platform || sso.target === target)) ssoCandidates.push({ i, appName, rule: sso.rule, target });
      }
    }

    if (issued.length > 0 && !e.session?.key && actor.type && st.rules.exchangeCallers.get(e.platform)?.has(actor.type))
      st.keylessExchanges.push(i);
    if (hasInitiator(e.extra?.initiator)) delegating.push(i);
    if (issued.length > 0 && actor.type === "WebIdentityUser" && oidcRepo(actor.login) !== null) st.oidcExchanges.push(i);
    else if (st.rules.ciJobEvent.get(e.platform)?.(e)) st.ciJobs.push(i);
    else if (e.status !== "failure" && st.rules.federatedSignIn.get(e.platform)?.(e)) st.federatedSignIns.push(i);

    if (!acc) continue;
    evAccount[i] = acc;
    acc.last = e.time;
    acc.login ??= actor.login;
    const name = actor.name ?? actor.login;
    if (name === acc.nameV) acc.nameN++;
    else {
      add(acc.names, acc.nameV, acc.nameN);
      acc.nameV = name;
      acc.nameN = 1;
    }
    if (!acc.memoSet || acc.memoEmail !== actor.email || acc.memoLogin !== actor.login) {
      acc.memoOut = actorEmail(actor.email, actor.login);
      acc.memoEmail = actor.email;
      acc.memoLogin = actor.login;
      acc.memoSet = true;
    }
    if (acc.memoOut === acc.emailV) acc.emailN++;
    else {
      add(acc.emails, acc.emailV, acc.emailN);
      acc.emailV = acc.memoOut;
      acc.emailN = 1;
    }
    if (actor.kind_hint !== "unknown") {
      if (actor.kind_hint === acc.kindV) acc.kindN++;
      else {
        add(acc.kinds, acc.kindV, acc.kindN);
        acc.kindV = actor.kind_hint;
        acc.kindN = 1;
      }
    }
  }
  for (const acc of st.accounts.values()) flushVotes(acc);
  if (aliasUses.length > 0) readDelegatedTokens(st, aliasUses);
  if (flowKeyless.length > 0) indexFlows(st, flowKeyed, flowKeyless);
  if (delegating.length > 0) readDelegation(st, delegating);
}

/** The account of an actor, found by platform, then actor id, login or name (no key string built per event). */
function findAccount(
  st: CorrelationState,
  platform: string,
  externalId: string | null,
  login: string | null,
  name: string | null,
  time: string,
): Account | null {
  const kind = accountKeyType(externalId, login, name);
  if (kind === -1) return null;
  const value = accountKeyValue(kind, externalId, login, name);
  let index = st.accountIndex.get(platform);
  if (!index) st.accountIndex.set(platform, (index = [new Map(), new Map(), new Map()] as AccountIndex));
  let acc = index[kind].get(value);
  if (!acc) {
    const key = accountKey(platform, kind, value);
    acc = st.accounts.get(key);
    if (!acc) {
      acc = newAccount(key, platform, externalId, login, time);
      st.accounts.set(key, acc);
    }
    index[kind].set(value, acc);
  }
  return acc;
}

/** Counts the votes an account still holds back. */
function flushVotes(acc: Account): void {
  add(acc.names, acc.nameV, acc.nameN);
  add(acc.emails, acc.emailV, acc.emailN);
  add(acc.kinds, acc.kindV, acc.kindN);
  acc.nameN = acc.emailN = acc.kindN = 0;
}

/** A credential, found by platform then key (no key string built per event); its id is hashed once. */
function touchCred(
  st: CorrelationState,
  platform: string,
  key: string,
  kind: CredentialKind,
  keyType: string | null,
  time: string | null,
  used: boolean,
): Cred {
  let byKey = st.credByPlatform.get(platform);
  if (!byKey) st.credByPlatform.set(platform, (byKey = new Map()));
  let rec = byKey.get(key);
  if (!rec) {
    const out: CredentialOut = {
      id: stableId("credential", platform, key),
      kind,
      platform,
      externalId: key,
      keyType,
      identityId: null,
      parentId: null,
      parentRule: null,
      parentEvidence: null,
      firstSeenAt: time,
      lastUsedAt: null,
    };
    rec = { out, account: null, minted: -1, keyedBy: -1 };
    byKey.set(key, rec);
    st.credRecs.push(rec);
  }
  const c = rec.out;
  if (c.kind === "unknown" && kind !== "unknown") c.kind = kind;
  c.keyType ??= keyType;
  if (used && time) c.lastUsedAt = time;
  return rec;
}

/** A parent edge; the rule is its prefix and detail, joined only when the edge is set (most events repeat a known edge). */
function setParent(
  child: CredentialOut,
  parent: CredentialOut,
  rulePrefix: string,
  ruleDetail: string,
  eventId: string,
  fieldName: string,
): void {
  if (child.parentId || child === parent) return; // the first proof wins; never a self-loop
  child.parentId = parent.id;
  child.parentRule = `${rulePrefix}:${ruleDetail}`;
  child.parentEvidence = { eventId, field: fieldName };
}

/** The flow ids keyless events ask for, then the first keyed event (time order) of each. */
function indexFlows(st: CorrelationState, flowKeyed: readonly number[], flowKeyless: readonly number[]): void {
  const { events, sessionByFlow } = st;
  const asked = new Map<string, Set<string>>();
  for (const i of flowKeyless) {
    const e = events[i].data;
    let ids = asked.get(e.platform);
    if (!ids) asked.set(e.platform, (ids = new Set()));
    ids.add(e.correlation_id!);
  }
  for (const i of flowKeyed) {
    const e = events[i].data;
    if (!asked.get(e.platform)?.has(e.correlation_id!)) continue;
    let byId = sessionByFlow.get(e.platform);
    if (!byId) sessionByFlow.set(e.platform, (byId = new Map()));
    if (!byId.has(e.correlation_id!)) byId.set(e.correlation_id!, i);
  }
}

/**
 * Delegation: a source that knows who acted through the actor's identity (Salesforce Login-As) names that
 * person in extra.initiator {external_id, login, name, via}. They become an account of their own.
 */
function readDelegation(st: CorrelationState, delegating: readonly number[]): void {
  const { events, evInitiator, evInitiatorVia } = st;
  for (const i of delegating) {
    const e = events[i].data;
    const ini = initiatorOf(e.extra)!;
    const acc = findAccount(st, e.platform, ini.external_id, ini.login, ini.name, e.time);
    if (!acc) continue;
    bump(acc.names, ini.name ?? ini.login);
    bump(acc.emails, loginEmail(ini.login));
    evInitiator[i] = acc;
    evInitiatorVia[i] = ini.via ?? "delegation";
    st.anyDelegation = true;
  }
}
