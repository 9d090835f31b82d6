import type { AliasOut, IdentityKind } from "../types";
import { platformLoginKey } from "./account-keys";
import { stableId } from "./ids";
import type { Account, CorrelationState } from "./state";
import { top } from "./tally";

// Phase 2: identities. Accounts merge when they share an email (actor email or an email-shaped login) or, on one
// platform, a login; every event and credential then gets its account's identity.
//
// The merge guard (issue 14): a shared key is evidence of a strength, and what the records say each account is
// decides how far it reaches.
//  - strong: the same login on one platform (the platform's own account name), or the same email between accounts
//    whose records say they are the same kind of actor. Strong merges are transitive.
//  - weak: the same email where one account's records never say what it is (kind unknown: an IAM user's
//    email-shaped name, a Snowflake user). A weak key attaches that account to the one identity holding the email
//    and never bridges two identities: an account reached only weakly is no anchor for another weak merge, and an
//    email held by two identities attaches nothing.
//  - refused: accounts whose kinds conflict (a person and a workload, service account, OAuth app, API token,
//    bot, AI agent or system actor; two different non-human kinds) are never merged by an email or a login:
//    a role session named after a person stays a workload, and its person is its initiator.
// Each merged alias records its rule and evidence, with the strength.

const KIND_ORDER: readonly IdentityKind[] = [
  "human",
  "service_account",
  "oauth_app",
  "bot",
  "ai_agent",
  "workload",
  "api_token",
  "system",
  "unknown",
];

class UnionFind {
  private parent = new Map<string, string>();
  find(x: string): string {
    let p = this.parent.get(x) ?? x;
    if (p === x) return x;
    p = this.find(p);
    this.parent.set(x, p);
    return p;
  }
  /** Joins two sets; the smaller root (string order) stays root, for determinism. */
  union(a: string, b: string): boolean {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return false;
    if (ra < rb) this.parent.set(rb, ra);
    else this.parent.set(ra, rb);
    return true;
  }
}

/** What an account's records say it is: its most frequent known kind, else unknown. */
export function accountKind(kinds: Map<string, number>): IdentityKind {
  const known = new Map([...kinds].filter(([k]) => k !== "unknown")) as Map<IdentityKind, number>;
  return top(known, KIND_ORDER) ?? "unknown";
}

/** Two known kinds that cannot be one actor (unknown conflicts with nothing). */
export function kindsConflict(a: IdentityKind, b: IdentityKind): boolean {
  return a !== "unknown" && b !== "unknown" && a !== b;
}

type Merge = { rule: string; evidence: Record<string, string> };

export function mergeIdentities(st: CorrelationState): void {
  const { accounts, identities } = st;
  const uf = new UnionFind();
  const mergeRule = new Map<string, Merge>();
  const sorted = [...accounts.values()].sort((a, b) => (a.key < b.key ? -1 : 1));
  const kindOf = new Map(sorted.map((a) => [a.key, accountKind(a.kinds)]));
  // The kinds of each strong group, kept at its root: a merge is checked against every account already in it.
  const groupKinds = new Map<string, Set<IdentityKind>>();
  const kindsOfGroup = (key: string) => groupKinds.get(uf.find(key)) ?? new Set([kindOf.get(key)!]);
  const compatible = (a: string, b: string) => {
    const kb = kindsOfGroup(b);
    for (const x of kindsOfGroup(a)) for (const y of kb) if (kindsConflict(x, y)) return false;
    return true;
  };
  const join = (a: string, b: string, how: Merge) => {
    const ka = kindsOfGroup(a);
    const kb = kindsOfGroup(b);
    if (!uf.union(a, b)) return;
    groupKinds.set(uf.find(a), new Set([...ka, ...kb]));
    if (!mergeRule.has(b)) mergeRule.set(b, how);
  };

  // Strong keys: one platform's login, and emails between accounts that say what they are.
  const byEmail = new Map<string, string>();
  const byLogin = new Map<string, string>();
  const weak: { acc: Account; email: string }[] = [];
  for (const acc of sorted) {
    const unknown = kindOf.get(acc.key) === "unknown";
    for (const email of [...acc.emails.keys()].sort()) {
      if (unknown) {
        weak.push({ acc, email });
        continue;
      }
      const other = byEmail.get(email);
      if (other === undefined) byEmail.set(email, acc.key);
      else if (compatible(other, acc.key))
        join(other, acc.key, { rule: "same_email", evidence: { email, with: other, strength: "strong" } });
    }
    if (acc.login) {
      const lk = platformLoginKey(acc.platform, acc.login);
      const other = byLogin.get(lk);
      if (other === undefined) byLogin.set(lk, acc.key);
      else if (compatible(other, acc.key))
        join(other, acc.key, { rule: "same_platform_login", evidence: { login: acc.login, with: other, strength: "strong" } });
    }
  }
  // Weak keys: an account of unknown kind joins the one identity that holds its email strongly (or, when no
  // identity does, the first unknown account with it); it never becomes a bridge between identities.
  const anchors = new Map<string, Set<string>>();
  for (const acc of sorted)
    if (kindOf.get(acc.key) !== "unknown")
      for (const email of acc.emails.keys()) {
        const roots = anchors.get(email) ?? new Set<string>();
        roots.add(uf.find(acc.key));
        anchors.set(email, roots);
      }
  const weakRoot = new Map<string, string>();
  // Accounts already in a weak merge: each takes part in one only, so no chain of weak keys forms.
  const weakUsed = new Set<string>();
  for (const { acc, email } of weak) {
    if (weakUsed.has(acc.key)) continue;
    const roots = anchors.get(email);
    if (roots && roots.size > 1) continue; // two identities hold it: attaching would join them
    const target = roots ? [...roots][0] : weakRoot.get(email);
    if (target === undefined) {
      weakRoot.set(email, acc.key);
      weakUsed.add(acc.key);
      continue;
    }
    if (uf.find(target) === uf.find(acc.key)) continue;
    join(target, acc.key, { rule: "same_email_weak", evidence: { email, with: target, strength: "weak" } });
    weakUsed.add(acc.key);
  }
  const groups = new Map<string, Account[]>();
  for (const acc of accounts.values()) {
    const root = uf.find(acc.key);
    const g = groups.get(root);
    if (g) g.push(acc);
    else groups.set(root, [acc]);
  }
  const accountIdentity = new Map<string, string>();
  for (const [root, accs] of [...groups.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    accs.sort((a, b) => (a.key < b.key ? -1 : 1));
    const id = stableId("identity", root);
    const kinds = new Map<IdentityKind, number>();
    const names = new Map<string, number>();
    const emails = new Map<string, number>();
    let first = accs[0].first;
    let last = accs[0].last;
    const aliases: AliasOut[] = [];
    // The merge that brought an account in is recorded on it; of the others, the first founded the identity.
    const founder = accs.find((a) => !mergeRule.has(a.key))?.key ?? root;
    for (const acc of accs) {
      accountIdentity.set(acc.key, id);
      for (const [k, n] of acc.kinds) kinds.set(k as IdentityKind, (kinds.get(k as IdentityKind) ?? 0) + n);
      for (const [k, n] of acc.names) names.set(k, (names.get(k) ?? 0) + n);
      for (const [k, n] of acc.emails) emails.set(k, (emails.get(k) ?? 0) + n);
      if (acc.first < first) first = acc.first;
      if (acc.last > last) last = acc.last;
      const how =
        mergeRule.get(acc.key) ??
        (acc.key === founder ? { rule: "first_seen", evidence: {} } : { rule: "transitive", evidence: { via: founder } });
      const [, type, value] = acc.key.split("|", 3);
      const aliasValue = acc.key.slice(acc.platform.length + type.length + 2);
      aliases.push({
        platform: acc.platform,
        aliasType: type === "id" ? "user_id" : type,
        externalId: aliasValue || value,
        rule: how.rule,
        evidence: how.evidence,
      });
    }
    const primaryEmail = top(emails);
    // No event says what the actor is: it stays unknown (an email-shaped login alone does not make a person).
    const kind = top(kinds, KIND_ORDER) ?? "unknown";
    identities.push({
      id,
      kind,
      displayName: top(names) ?? primaryEmail ?? aliases[0].externalId,
      primaryEmail,
      aliases,
      firstSeenAt: first,
      lastSeenAt: last,
    });
  }
  for (const acc of accounts.values()) acc.identityId = accountIdentity.get(acc.key)!;
  const { n, evAccount, evIdentity } = st;
  for (let i = 0; i < n; i++) evIdentity[i] = evAccount[i]?.identityId ?? null;
  for (const c of st.credRecs) if (c.account) c.out.identityId = c.account.identityId;
  st.credentials = st.credRecs.map((c) => c.out);
}
