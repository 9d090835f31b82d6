import type { Activity } from "@/lib/events/schema";

// The privileged-action catalog's shape. Each platform keeps its own entries in lib/sources/<platform>/privileged.ts
// (exported with its source definition, read through the registry by lib/governance), each entry citing the vendor
// page that documents the event. A source may set its own `privileged` flag from the same entries (Okta does), so
// there is one list per platform, not one in the source and another in governance.

/** The seven kinds of privileged action a governance check names. */
export const PRIVILEGED_CATEGORIES = [
  "admin_role_change",
  "permission_change",
  "policy_change",
  "data_export",
  "credential_creation",
  "app_consent",
  "config_change",
] as const;
export type PrivilegedCategory = (typeof PRIVILEGED_CATEGORIES)[number];

/**
 * How much a privilege can do, on one scale for every platform:
 *   1 scoped       one capability or object (export reports, one repository, one key, one permission set)
 *   2 domain admin administration of one domain of the platform (IAM, users, policies, apps, security settings)
 *   3 full admin   everything on the platform (AdministratorAccess, Global Administrator, Super Admin, org owner)
 */
export type PrivilegeLevel = 1 | 2 | 3;

type RuleMatch = {
  /** Stable id, shown in a check's reasons. */
  id: string;
  /** The platform's own event name (event_name), tested case-sensitively as written (add the i flag where needed). */
  name?: RegExp;
  /** The OCSF activity verbs (event.activity) the rule applies to. */
  activity?: readonly Activity[];
  /** The target's name (event.targetName) must match, e.g. a group named like an administrators' group. */
  target?: RegExp;
  /** The vendor documentation page the entry comes from. */
  doc: string;
};

/** An event that is a privileged action: its category and the privilege it needs (compared with a JIT grant's). */
export type PrivilegedEntry = RuleMatch & {
  notPrivileged?: undefined;
  /**
   * true: privileged also when the source did not flag the event (governance marks it). Such an entry must name its
   * activities, which pre-filter the events in SQL.
   */
  unflagged?: boolean;
  category: PrivilegedCategory;
  /** The privilege the action needs; `{name}` is replaced by the event name. */
  privilege: string;
  level: PrivilegeLevel;
};

/** An event that looks privileged by its name but is not (token issuance, rate-limit notices): never checked. */
export type NotPrivilegedEntry = RuleMatch & { notPrivileged: true; why: string };

export type CatalogEntry = PrivilegedEntry | NotPrivilegedEntry;

/** Whether an entry applies to one event: every condition it states holds. */
export function entryMatches(entry: CatalogEntry, event: { eventName: string; activity: string; targetName?: string | null }): boolean {
  return (
    (entry.name === undefined || entry.name.test(event.eventName)) &&
    (entry.activity === undefined || (entry.activity as readonly string[]).includes(event.activity)) &&
    (entry.target === undefined || (event.targetName != null && entry.target.test(event.targetName)))
  );
}

/**
 * What a platform's catalog says of an event by its name alone (for a source setting its own flag): "privileged" when
 * the first entry matching the name is a privileged one the source flags (not `unflagged`), "not" when it is an
 * exclusion, null when no entry names it.
 */
export function catalogVerdict(entries: readonly CatalogEntry[], eventName: string): "privileged" | "not" | null {
  for (const e of entries) {
    if (e.activity !== undefined || e.target !== undefined || e.name === undefined || !e.name.test(eventName)) continue;
    if (e.notPrivileged) return "not";
    if (!e.unflagged) return "privileged";
  }
  return null;
}
