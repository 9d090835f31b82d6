import { ocsfClass, type ActorKind, type EventResource, type NormalizedEvent, type OcsfClassUid, toActivity } from "@/lib/events/schema";
import { NormalizeError } from "../types";
import { emailShaped, extraOf, field, keyText, recAt, type Rec } from "../util/fields";
import { parseTime, tryParseTime } from "../util/time";
import { baseEvent, initiatorOf, splitUser, str } from "./common";
import { toId18 } from "./ids";

// Setup Audit Trail, in two shapes:
//  - SetupAuditTrail objects (SOQL/REST): Id, Action (a code: PermSetAssign, changedProfileForUser,
//    suOrgAdminLogin, …), Section, CreatedDate, CreatedById / CreatedBy.Username, Display (free text), DelegateUser
//    (the Login-As user who made the change), ResponsibleNamespacePrefix, CreatedByContext.
//  - the CSV download of Setup → View Setup Audit Trail: Date, User, Source Namespace Prefix, Action (there: the
//    Display text), Section, Delegate User. Its Date is written in the downloading user's locale and time zone;
//    the en_US form "3/4/2025, 1:15:00 PM PST" (comma optional, 12- or 24-hour clock) and ISO dates are read,
//    anything else (other locales, an unknown or ambiguous zone abbreviation) is rejected with the reason.
// The record carries no IP, user agent, session or target id: what the change touched is only in Display, from
// which DISPLAY_PATTERNS extract what they can (extra.display), the full text staying in `message`.

/**
 * The Display texts we read, first match wins (order matters: "Changed profile for user …" before "Changed
 * profile …"). Named groups: user (the user changed), profile, permission_set, role, connected_app, from, to,
 * change (the rest of the sentence), grantee/duration/expires (login access grants), op (the verb).
 */
export const DISPLAY_PATTERNS: readonly { id: string; re: RegExp }[] = [
  { id: "login_as", re: /^Logged (?<op>in|out) using Login-As access for (?<user>.+?)\.?$/i },
  {
    id: "login_access_grant",
    re: /^Granted login access for (?<duration>.+?) to (?<grantee>.+?)(?:,?\s+expires? on (?<expires>.+?))?\.?$/i,
  },
  { id: "login_access_grant", re: /^Granted (?<grantee>.+?) login access(?: for (?<duration>.+?))?\.?$/i },
  { id: "login_access_revoke", re: /^Revoked login access (?:for|from|to) (?<grantee>.+?)\.?$/i },
  { id: "profile_for_user", re: /^Changed profile for user (?<user>.+?) from (?<from>.+?) to (?<to>.+?)\.?$/i },
  { id: "role_for_user", re: /^Changed role for user (?<user>.+?) from (?<from>.+?) to (?<to>.+?)\.?$/i },
  {
    id: "permset_assign",
    re: /^(?<op>Assigned|Unassigned|Removed) permission set (?<group>group )?(?<permission_set>.+?) (?:to|from) user (?<user>.+?)\.?$/i,
  },
  {
    id: "permset_assign",
    re: /^Permission set (?<group>group )?(?<permission_set>.+?): (?<op>assigned to|unassigned from|removed from) user (?<user>.+?)\.?$/i,
  },
  {
    id: "permset_change",
    re: /^(?<op>Created|Deleted|Changed|Updated|Cloned|Renamed) permission set (?<group>group )?(?<permission_set>[^:]+?)(?::\s*(?<change>.+))?$/i,
  },
  { id: "permset_change", re: /^Permission set (?<group>group )?(?<permission_set>[^:]+?):\s*(?<change>.+)$/i },
  {
    id: "profile_change",
    re: /^(?<op>Created|Deleted|Changed|Updated|Cloned|Renamed) (?:custom )?profile (?<profile>[^:]+?)(?::\s*(?<change>.+))?$/i,
  },
  { id: "role_change", re: /^(?<op>Created|Deleted|Changed|Updated|Renamed) role (?<role>.+?)\.?$/i },
  { id: "connected_app", re: /^(?<op>[A-Za-z]+(?: [a-z]+)?) (?:the )?connected app (?<connected_app>[^:]+?)(?::\s*(?<change>.+))?$/i },
  { id: "user_password", re: /^(?<op>Changed|Reset|Expired) password for (?:user )?(?<user>.+?)\.?$/i },
  {
    id: "user_lifecycle",
    re: /^(?<op>Created new user|Created user|Activated user|Deactivated user|Froze user|Frozen user|Unfroze user|Unfrozen user) (?<user>.+?)\.?$/i,
  },
  { id: "user_change", re: /^Changed (?<change>[\w -]+?) for user (?<user>.+?)(?: from (?<from>.+?) to (?<to>.+?))?\.?$/i },
  { id: "data_export", re: /^(?<op>Requested|Scheduled|Downloaded)\b.*\bexport\b/i },
];

export type DisplayMatch = { pattern: string; groups: Record<string, string> };

export function matchDisplay(display: string | null): DisplayMatch | null {
  if (!display) return null;
  const line = display.length > 2000 ? display.slice(0, 2000) : display;
  for (const { id, re } of DISPLAY_PATTERNS) {
    const m = re.exec(line);
    if (!m) continue;
    const groups: Record<string, string> = {};
    for (const [k, v] of Object.entries(m.groups ?? {})) if (v !== undefined && v.trim() !== "") groups[k] = v.trim();
    return { pattern: id, groups };
  }
  return null;
}

// Privileged Setup changes: the Display pattern says so, or the Action code / Display text / Section names
// profiles, permission sets, roles, connected apps / OAuth, Login-As and login access, passwords and MFA,
// session / SSO / identity / certificate / network-access / sharing settings, data export.
const PRIVILEGED_PATTERNS = new Set([
  "login_as",
  "login_access_grant",
  "login_access_revoke",
  "profile_for_user",
  "role_for_user",
  "permset_assign",
  "permset_change",
  "profile_change",
  "role_change",
  "connected_app",
  "user_password",
  "data_export",
]);
const PRIVILEGED_TEXT =
  /(permission ?set|perm ?set|\bprofile\b|\brole\b|connected ?app|oauth|login-?as|suOrgAdmin|login access|grantedaccess|password|session setting|single sign-on|\bsso\b|saml|auth(?:entication)? provider|certificate|named credential|sharing|network access|trusted ip|ip range|modify all data|view all data|two-factor|multi-factor|\bmfa\b|delegated admin|data ?export|transaction security)/i;
const PRIVILEGED_SECTION =
  /(security|session settings|password polic|network access|single sign-on|auth\. providers|certificate|named credential|identity|sharing|profiles?$|permission set|roles?$|connected app|login flow|login access|transaction security|data export|delegated admin|health check|remote site|cors|trusted url|multi-factor)/i;

type Classified = { uid: OcsfClassUid; activity: string };

function verbOf(word: string | null): string {
  const w = (word ?? "").toLowerCase();
  if (/^(created|new|added|cloned|installed|enabled|activated)/.test(w)) return "create";
  if (/^(deleted|removed|uninstalled|disabled|deactivated)/.test(w)) return "delete";
  if (/^(changed|updated|renamed|modified|set|edited|reset|expired)/.test(w)) return "update";
  return "update";
}

function classify(m: DisplayMatch | null, action: string | null, display: string | null): Classified {
  const g = m?.groups ?? {};
  switch (m?.pattern) {
    case "login_as":
      return { uid: 3002, activity: /out/i.test(g.op ?? "") ? "logoff" : "impersonate" };
    case "login_access_grant":
    case "profile_for_user":
    case "role_for_user":
      return { uid: 3005, activity: "assign_privileges" };
    case "login_access_revoke":
      return { uid: 3005, activity: "revoke_privileges" };
    case "permset_assign":
      return { uid: 3005, activity: /^(unassigned|removed)/i.test(g.op ?? "") ? "revoke_privileges" : "assign_privileges" };
    case "permset_change":
    case "profile_change":
    case "role_change":
      return { uid: 3004, activity: verbOf(g.op ?? null) };
    case "connected_app":
      return { uid: 6002, activity: verbOf(g.op ?? null) };
    case "user_password":
      return { uid: 3001, activity: /^reset/i.test(g.op ?? "") ? "password_reset" : "password_change" };
    case "user_lifecycle": {
      const op = (g.op ?? "").toLowerCase();
      return {
        uid: 3001,
        activity: op.startsWith("created")
          ? "create"
          : op.startsWith("activated")
            ? "enable"
            : op.startsWith("deactivated")
              ? "disable"
              : op.startsWith("fro")
                ? "lock"
                : "unlock",
      };
    }
    case "user_change":
      return { uid: 3001, activity: "update" };
    case "data_export":
      return { uid: 6005, activity: "export" };
  }
  // No pattern: a Setup change; the verb from the Action code (createdCustomField) or the Display's first word.
  const word = action ? (/^[a-z]+/.exec(action)?.[0] ?? null) : null;
  return { uid: 3004, activity: verbOf(word ?? display?.split(/\s/)[0] ?? null) };
}

function resourcesOf(m: DisplayMatch | null): EventResource[] {
  if (!m) return [];
  const g = m.groups;
  const out: EventResource[] = [];
  const user = g.user ?? null;
  if (user) {
    const u = splitUser(user);
    out.push({ type: "User", id: null, name: u.login ?? u.name });
  }
  if (g.grantee) out.push({ type: "LoginAccessGrantee", id: null, name: g.grantee });
  if (g.profile) out.push({ type: "Profile", id: null, name: g.profile });
  if (m.pattern === "profile_for_user" && g.to) out.push({ type: "Profile", id: null, name: g.to });
  if (m.pattern === "role_for_user" && g.to) out.push({ type: "UserRole", id: null, name: g.to });
  if (g.permission_set) out.push({ type: g.group ? "PermissionSetGroup" : "PermissionSet", id: null, name: g.permission_set });
  if (g.role) out.push({ type: "UserRole", id: null, name: g.role });
  if (g.connected_app) out.push({ type: "ConnectedApplication", id: null, name: g.connected_app });
  return out;
}

type AuditFields = {
  shape: "setup-audit-trail" | "setup-audit-trail-csv";
  time: Date;
  eventName: string;
  action: string | null;
  section: string | null;
  display: string | null;
  actorId: string | null;
  actorLogin: string | null;
  actorName: string | null;
  delegate: string | null;
  /** CreatedByContext: the context the change was made in (Einstein, Agentforce, …). */
  context: string | null;
  nativeId: string | null;
  extra: Record<string, unknown>;
};

function build(f: AuditFields): NormalizedEvent[] {
  const m = matchDisplay(f.display);
  const { uid, activity } = classify(m, f.action, f.display);
  const d = splitUser(f.delegate);
  const initiator = initiatorOf(null, d.login, d.name);
  // Who made the change: CreatedBy, unless DelegateUser is set ("the Login-As user who executed the action in
  // Setup"): then the delegate acted, logged in as CreatedBy. A user is a person unless the record says otherwise:
  // CreatedByContext names the AI context a change was made in (Einstein, Agentforce) -> ai_agent.
  const context = f.context;
  const kind: ActorKind =
    context !== null && /einstein|agent|copilot|\bai\b/i.test(context)
      ? "ai_agent"
      : initiator || f.actorId || f.actorLogin || f.actorName
        ? "human"
        : "unknown";
  const actor = initiator
    ? { external_id: null, name: d.name ?? d.login, login: d.login ?? d.name, email: emailShaped(d.login), type: null, kind_hint: kind }
    : {
        external_id: f.actorId,
        name: f.actorName ?? f.actorLogin,
        login: f.actorLogin,
        email: emailShaped(f.actorLogin),
        type: null,
        kind_hint: kind,
      };
  const privileged =
    (m !== null && PRIVILEGED_PATTERNS.has(m.pattern)) ||
    (f.action !== null && PRIVILEGED_TEXT.test(f.action)) ||
    (f.display !== null && PRIVILEGED_TEXT.test(f.display.slice(0, 2000))) ||
    (f.section !== null && !/company profile/i.test(f.section) && PRIVILEGED_SECTION.test(f.section)) ||
    initiator !== null;

  const event = baseEvent({ ...ocsfClass(uid), activity: toActivity(activity), event_name: f.eventName, time: f.time, actor });
  event.status = "success"; // the trail records changes that were made
  event.message = f.display;
  event.resources = resourcesOf(m);
  event.privileged = privileged;
  event.native_id = f.nativeId;
  event.extra = extraOf({
    shape: f.shape,
    Section: f.section,
    Action: f.shape === "setup-audit-trail" ? f.action : null,
    initiator,
    DelegateUser: f.delegate,
    // During Login-As, the user whose identity the delegate used (CreatedBy).
    acting_as: initiator ? extraOf({ external_id: f.actorId, login: f.actorLogin, name: f.actorName }) : null,
    display_pattern: m?.pattern ?? null,
    display: m ? m.groups : null,
    ...f.extra,
  });
  return [event];
}

export function normalizeSetupAuditTrail(r: Rec): NormalizedEvent[] {
  const createdBy = recAt(r, "CreatedBy");
  const action = str(r, "Action");
  const display = str(r, "Display");
  if (!action && !display) throw new NormalizeError("not a SetupAuditTrail record: Action and Display are missing");
  const createdById = keyText(field(r, "CreatedById"));
  return build({
    shape: "setup-audit-trail",
    time: parseTime(field(r, "CreatedDate"), "CreatedDate"),
    eventName: action ?? "SetupAuditTrail",
    action,
    section: str(r, "Section"),
    display,
    actorId: createdById ? toId18(createdById) : null,
    actorLogin: keyText(field(createdBy, "Username")),
    actorName: str(createdBy, "Name"),
    delegate: keyText(field(r, "DelegateUser")),
    context: str(r, "CreatedByContext"),
    nativeId: keyText(field(r, "Id")),
    extra: {
      ResponsibleNamespacePrefix: str(r, "ResponsibleNamespacePrefix"),
      CreatedByContext: str(r, "CreatedByContext"),
      CreatedByIssuer: str(r, "CreatedByIssuer"),
    },
  });
}

// ---- the CSV download's Date column -----------------------------------------------------------------------------

// Zone abbreviations Salesforce writes for the common user time zones (IANA abbreviations). An ambiguous one (IST:
// India / Israel / Ireland) is refused rather than guessed; CST is read as US Central, as the en_US download writes it.
const ZONES: Record<string, string> = {
  UTC: "+00:00",
  GMT: "+00:00",
  Z: "+00:00",
  PST: "-08:00",
  PDT: "-07:00",
  MST: "-07:00",
  MDT: "-06:00",
  CST: "-06:00",
  CDT: "-05:00",
  EST: "-05:00",
  EDT: "-04:00",
  AKST: "-09:00",
  AKDT: "-08:00",
  HST: "-10:00",
  AST: "-04:00",
  ADT: "-03:00",
  NST: "-03:30",
  NDT: "-02:30",
  BST: "+01:00",
  WET: "+00:00",
  WEST: "+01:00",
  CET: "+01:00",
  CEST: "+02:00",
  EET: "+02:00",
  EEST: "+03:00",
  MSK: "+03:00",
  JST: "+09:00",
  KST: "+09:00",
  SGT: "+08:00",
  HKT: "+08:00",
  AEST: "+10:00",
  AEDT: "+11:00",
  ACST: "+09:30",
  ACDT: "+10:30",
  AWST: "+08:00",
  NZST: "+12:00",
  NZDT: "+13:00",
};

const US_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(AM|PM|am|pm)?\s*([A-Za-z]{1,5}|[+-]\d{2}:?\d{2})?$/;

export function parseAuditDate(v: unknown): Date {
  if (v === undefined || v === null || v === "") throw new NormalizeError("no event time (Date is missing)");
  if (typeof v !== "string") throw new NormalizeError(`unreadable event time in Date: ${JSON.stringify(v).slice(0, 80)}`);
  const s = v.trim();
  if (/^\d{4}-\d{2}-\d{2}/.test(s)) {
    const d = tryParseTime(s);
    if (d) return d;
  }
  const m = US_DATE.exec(s);
  if (!m)
    throw new NormalizeError(
      `unreadable event time in Date (expected the en_US form M/D/YYYY h:mm:ss AM PST): ${JSON.stringify(s).slice(0, 80)}`,
    );
  const [, mo, day, y, hh, mi, ss, ampm, zone] = m;
  let h = Number(hh);
  if (ampm) {
    if (h < 1 || h > 12)
      throw new NormalizeError(`unreadable event time in Date (hour ${hh} with ${ampm}): ${JSON.stringify(s).slice(0, 80)}`);
    h = (h % 12) + (/pm/i.test(ampm) ? 12 : 0);
  }
  if (!zone) throw new NormalizeError(`event time in Date has no time zone: ${JSON.stringify(s).slice(0, 80)}`);
  const offset = /^[+-]/.test(zone) ? (zone.includes(":") ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`) : ZONES[zone.toUpperCase()];
  if (!offset) throw new NormalizeError(`unknown or ambiguous time zone "${zone}" in Date: ${JSON.stringify(s).slice(0, 80)}`);
  const pad = (n: string | number) => String(n).padStart(2, "0");
  const iso = `${y}-${pad(mo)}-${pad(day)}T${pad(h)}:${mi}:${ss ?? "00"}${offset}`;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime()) || Number(mo) > 12 || Number(day) > 31 || h > 23)
    throw new NormalizeError(`unreadable event time in Date: ${JSON.stringify(s).slice(0, 80)}`);
  // new Date rolls 2/31 over into March: refuse a date that does not exist.
  const local = new Date(d.getTime() + offsetMinutes(offset) * 60_000);
  if (local.getUTCDate() !== Number(day))
    throw new NormalizeError(`unreadable event time in Date (no such day): ${JSON.stringify(s).slice(0, 80)}`);
  return d;
}

function offsetMinutes(offset: string): number {
  const sign = offset.startsWith("-") ? -1 : 1;
  const [h, m] = offset.slice(1).split(":").map(Number);
  return sign * (h * 60 + m);
}

export function normalizeSetupAuditCsv(r: Rec): NormalizedEvent[] {
  const display = str(r, "Action");
  if (!display) throw new NormalizeError("not a Setup Audit Trail row: Action is empty");
  const user = splitUser(keyText(field(r, "User")));
  const section = str(r, "Section");
  return build({
    shape: "setup-audit-trail-csv",
    time: parseAuditDate(field(r, "Date")),
    // The download has no Action code: its Section (e.g. "Manage Users") names the event.
    eventName: section ?? "SetupAuditTrail",
    action: null,
    section,
    display,
    actorId: null,
    actorLogin: user.login ?? user.name,
    actorName: user.name,
    delegate: keyText(field(r, "Delegate User")),
    context: null,
    nativeId: null,
    extra: { "Source Namespace Prefix": str(r, "Source Namespace Prefix") },
  });
}
