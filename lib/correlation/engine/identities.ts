import type { AliasOut, IdentityKind } from "../types";
import { platformLoginKey } from "./account-keys";
import { stableId } from "./ids";
import type { Account, CorrelationState } from "./state";
import { top } from "./tally";

// Phase 2: identities. Accounts merge when they share an email (actor email or an email-shaped login) or, on one
// platform, a login; every event and credential then gets its account's identity.

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

export function mergeIdentities(st: CorrelationState): void {
  const { accounts, identities } = st;
  const uf = new UnionFind();
  const mergeRule = new Map<string, { rule: string; evidence: Record<string, string> }>();
  const byEmail = new Map<string, string>();
  const byLogin = new Map<string, string>();
  for (const acc of [...accounts.values()].sort((a, b) => (a.key < b.key ? -1 : 1))) {
    for (const email of [...acc.emails.keys()].sort()) {
      const other = byEmail.get(email);
      if (other === undefined) byEmail.set(email, acc.key);
      else if (uf.union(other, acc.key) && !mergeRule.has(acc.key))
        mergeRule.set(acc.key, { rule: "same_email", evidence: { email, with: other } });
    }
    if (acc.login) {
      const lk = platformLoginKey(acc.platform, acc.login);
      const other = byLogin.get(lk);
      if (other === undefined) byLogin.set(lk, acc.key);
      else if (uf.union(other, acc.key) && !mergeRule.has(acc.key))
        mergeRule.set(acc.key, { rule: "same_platform_login", evidence: { login: acc.login, with: other } });
    }
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
    for (const acc of accs) {
      accountIdentity.set(acc.key, id);
      for (const [k, n] of acc.kinds) kinds.set(k as IdentityKind, (kinds.get(k as IdentityKind) ?? 0) + n);
      for (const [k, n] of acc.names) names.set(k, (names.get(k) ?? 0) + n);
      for (const [k, n] of acc.emails) emails.set(k, (emails.get(k) ?? 0) + n);
      if (acc.first < first) first = acc.first;
      if (acc.last > last) last = acc.last;
      const how =
        acc.key === root
          ? { rule: "first_seen", evidence: {} }
          : (mergeRule.get(acc.key) ?? { rule: "transitive", evidence: { via: root } });
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
