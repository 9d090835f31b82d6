import {
  entryMatches,
  type CatalogEntry,
  type PrivilegedCategory,
  type PrivilegedEntry,
  type PrivilegeLevel,
} from "@/lib/sources/privileged";
import { getSource, grantFeedIds, grantPlatformAliases, SOURCES } from "@/lib/sources/registry";

// Classifies privileged actions with the catalog: each platform's own entries (lib/sources/<platform>/privileged.ts,
// read through the source registry), then the generic entries on the OCSF activity verb below, then the fallback
// (config_change, with the reason that no entry named it). Sources set `privileged` from the record's own fields;
// an entry may also mark an event its source did not flag (`unflagged`), and an exclusion entry (`notPrivileged`)
// keeps an event out even when flagged (Okta token issuance, rate-limit notices).

export type { PrivilegeLevel } from "@/lib/sources/privileged";
export type CatalogRule = PrivilegedEntry;

/** A platform's own catalog entries (none for a platform without a source). */
export function platformEntries(platform: string) {
  return getSource(platform)?.privileged ?? [];
}

/** The OCSF activity verbs, for privileged events no platform rule named. */
// Not vendor entries: the activity verbs are the normalized event's own (lib/events/schema.ts, aligned with OCSF).
const OCSF_ACTIVITY = "lib/events/schema.ts";
const GENERIC_RULES: readonly CatalogRule[] = [
  { id: "generic.export", activity: ["export"], category: "data_export", privilege: "{name}", level: 1, doc: OCSF_ACTIVITY },
  { id: "generic.consent", activity: ["consent"], category: "app_consent", privilege: "{name}", level: 2, doc: OCSF_ACTIVITY },
  {
    id: "generic.credentials",
    activity: ["issue_credentials"],
    category: "credential_creation",
    privilege: "{name}",
    level: 2,
    doc: OCSF_ACTIVITY,
  },
  {
    id: "generic.privileges",
    activity: ["assign_privileges", "revoke_privileges"],
    category: "permission_change",
    privilege: "{name}",
    level: 2,
    doc: OCSF_ACTIVITY,
  },
  {
    id: "generic.impersonate",
    activity: ["impersonate"],
    category: "admin_role_change",
    privilege: "{name}",
    level: 2,
    doc: OCSF_ACTIVITY,
  },
];

/**
 * The whole catalog as data, per platform (from the source registry) plus the generic entries: what the analysis
 * run's logic hash covers (lib/analysis/logic-version.ts), so that a changed entry changes the hash.
 */
export const PRIVILEGED_CATALOG: Readonly<Record<string, readonly CatalogEntry[]>> = {
  ...Object.fromEntries(SOURCES.map((s) => [s.platform, s.privileged])),
  generic: GENERIC_RULES,
};

/** Every privileged event gets a category: what no rule names is a configuration change, and says so. */
const FALLBACK_RULE: CatalogRule = { id: "fallback", category: "config_change", privilege: "{name}", level: 2, doc: OCSF_ACTIVITY };

export type Classification = {
  rule: CatalogRule;
  category: PrivilegedCategory;
  privilege: string;
  level: PrivilegeLevel;
  reason: string | null;
};

/**
 * The category and needed privilege of one event; null when the event is not a privileged action (not flagged by
 * its source and no `unflagged` rule names it).
 */
export function classifyPrivilegedAction({
  platform,
  eventName,
  activity,
  privileged,
  targetName = null,
}: {
  platform: string;
  eventName: string;
  activity: string;
  privileged: boolean;
  targetName?: string | null;
}): Classification | null {
  const event = { eventName, activity, targetName };
  let rule: CatalogRule | undefined;
  for (const e of [...platformEntries(platform), ...GENERIC_RULES]) {
    if (!entryMatches(e, event)) continue;
    if (e.notPrivileged) return null; // an exclusion: not a privileged action, even when the source flagged it
    if (privileged || e.unflagged === true) {
      rule = e;
      break;
    }
  }
  if (!rule && !privileged) return null;
  const r = rule ?? FALLBACK_RULE;
  return {
    rule: r,
    category: r.category,
    privilege: r.privilege.replaceAll("{name}", eventName),
    level: r.level,
    reason: rule
      ? privileged
        ? null
        : `marked privileged by catalog rule ${r.id} (the source does not flag it)`
      : `no catalog rule names ${platform} "${eventName}" (${activity}); the source flags it privileged, so it is counted as a configuration change`,
  };
}

/**
 * The unflagged events the catalog may mark, as (platform, activity, event-name pattern) triples: the SQL pre-filter
 * of the run, so that only those few events are read (the patterns are plain enough to mean the same in
 * PostgreSQL's regular expressions: anchors, groups, alternation, escaped dots; no \b).
 */
export function unflaggedActivities(): { platform: string; activity: string; pattern: string }[] {
  const out: { platform: string; activity: string; pattern: string }[] = [];
  for (const { platform, privileged } of SOURCES) {
    for (const r of privileged)
      if (!r.notPrivileged && r.unflagged)
        for (const a of r.activity ?? []) out.push({ platform, activity: a, pattern: r.name?.source ?? "" });
  }
  return out;
}

// What a grant's privilege name says about its breadth. Tested in order; the first match wins.
const GRANT_LEVELS: readonly { pattern: RegExp; level: PrivilegeLevel }[] = [
  {
    pattern:
      /\b(AdministratorAccess|Global Administrator|Company Administrator|Super ?Admin|Organi[sz]ation (Owner|Administrator)|org(anization)? owner|Owner|ACCOUNTADMIN|ORGADMIN|System Administrator|root|full[ _-]?admin|cluster-admin)\b|^\*$/i,
    level: 3,
  },
  {
    pattern:
      /admin|FullAccess|PowerUser|SECURITYADMIN|USERADMIN|SYSADMIN|Manage Users|Modify All Data|View All Data|maintainer|privileged/i,
    level: 2,
  },
];

/** The breadth of a granted privilege (see PrivilegeLevel); what names no admin power is scoped. */
export function grantPrivilegeLevel(privilege: string): PrivilegeLevel {
  return GRANT_LEVELS.find((g) => g.pattern.test(privilege))?.level ?? 1;
}

// Which platform names a grant may use for the platform an action runs on (grant.platform is free text:
// `aws:111122223333`, a platform id, an alias; its part before ":" is compared). Each platform's profile lists its
// aliases (lib/sources/<platform>/profile.ts).
export const GRANT_PLATFORM_ALIASES: Record<string, readonly string[]> = grantPlatformAliases();
const GRANT_FEEDS = new Set(grantFeedIds());

/** Whether a grant recorded for `grantPlatform` can cover an action on `platform`. A grant naming no target platform (its feed's own id) covers any. */
export function grantCoversPlatform(grantPlatform: string, platform: string): boolean {
  const g = grantPlatform.toLowerCase().split(":")[0].trim();
  if (GRANT_FEEDS.has(g) || g === "") return true;
  if (g === platform) return true;
  return (GRANT_PLATFORM_ALIASES[platform] ?? []).includes(g);
}
