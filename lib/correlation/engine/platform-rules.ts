import type { NormalizedEventJson } from "@/lib/events/schema";
import type { ProfileRules } from "@/lib/sources/define-platform";
import { profileRules } from "@/lib/sources/registry";

// What the engine knows about particular platforms, as data behind a small interface, apart from the generic
// rules that use it: which platforms are identity providers and which of their events is a single sign-on into
// an app, which platform an app's name stands for, and which session keys name a long-lived token rather than
// one session. Each platform states its part in its profile (lib/sources/<platform>/profile.ts, `correlation`);
// the registry builds the maps below from the registered profiles (profileRules), and the engine reads them only
// through PlatformRules (CorrelationState.rules).

export type PlatformRules = ProfileRules & {
  /** Split a token's session where its activity pauses longer than this. */
  tokenGapMs: number;
  /** Sessions of different identities or platforms starting from one address this close together: a low-confidence link. */
  sameIpWindowMs: number;
  /** More sessions than this starting from one address inside the window: a shared egress (NAT, proxy), no link. */
  sameIpMaxSessions: number;
  /** How long after a CI job's event its OIDC token can be exchanged for a cloud role (a job runs at most 6 hours). */
  oidcWindowMs: number;
  /** Credential kinds a person mints for something else to use: a delegated one is the identity of its uses (engine/scan.ts). */
  delegableCredentialKinds: ReadonlySet<string>;
};

const HOUR = 60 * 60_000;

export const PLATFORM_RULES: PlatformRules = {
  ...profileRules(),
  tokenGapMs: 2 * HOUR,
  sameIpWindowMs: 5 * 60_000,
  sameIpMaxSessions: 4,
  // GitHub Actions: a job runs at most 6 hours ("Usage limits for GitHub Actions"), and requests its OIDC token
  // while running ("About security hardening with OpenID Connect").
  oidcWindowMs: 6 * HOUR,
  // GitHub personal access tokens: "a personal access token … used in place of a password" that the person can hand to a
  // script or service (GitHub Docs, "Managing your personal access tokens").
  delegableCredentialKinds: new Set(["pat"]),
};

/** Which platform an IdP's application name stands for. */
export function appPlatform(appName: string | null, rules: PlatformRules = PLATFORM_RULES): string | null {
  if (!appName) return null;
  for (const [re, p] of rules.appPatterns) if (re.test(appName)) return p;
  return null;
}

/**
 * The repository a GitHub Actions OIDC token names, from its subject claim ("repo:OWNER/REPO:ref:…", GitHub docs,
 * "About security hardening with OpenID Connect": example subject claims), lowercased; null for other subjects.
 * CloudTrail writes the subject as the WebIdentityUser's userName (and responseElements.subjectFromWebIdentityToken).
 */
export function oidcRepo(subject: string | null): string | null {
  if (!subject || !subject.startsWith("repo:")) return null;
  const end = subject.indexOf(":", 5);
  return (end < 0 ? subject.slice(5) : subject.slice(5, end)).toLowerCase() || null;
}

/** The repository a GitHub audit-log event names (its "repository" resource), lowercased. */
export function eventRepo(e: NormalizedEventJson): string | null {
  for (const r of e.resources) if (r.type === "repository" && r.name) return r.name.toLowerCase();
  return null;
}

/** The network an address is in, for "a token used from a new network": IPv4 /24, IPv6 /64 (the first four groups as written). */
export function networkOf(ip: string): string {
  if (ip.includes(":")) {
    let k = -1;
    for (let n = 0; n < 4; n++) {
      k = ip.indexOf(":", k + 1);
      if (k < 0 || ip[k + 1] === ":") return ip; // "::" compression before the fourth group: compare whole addresses
    }
    return ip.slice(0, k);
  }
  const k = ip.lastIndexOf(".");
  return k < 0 ? ip : ip.slice(0, k);
}
