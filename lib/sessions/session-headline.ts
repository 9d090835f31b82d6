// A session's headline: one sentence written from its evidence, with friendly names (the identity's display name,
// the client app's name, object names), e.g. "Acme Reports Sync exported 750k Contact rows in 3 queries from new IP
// 198.51.100.250 via AcmeReportsSync with python-requests, 3 h after its last call from 192.0.2.45."
// Pure (no server imports): the facts come from lib/sessions/headline-facts.ts, and client components may use it.
// Each clause appears only when its fact is known; a verdict is never stronger than its evidence ("new IP" only when
// the identity has earlier sessions to compare with, an approval verdict only when governance checked the action).

/** Rows (records) moved by a group of events of one activity, from the vendor's own count field. */
export type HeadlineVolume = {
  /** The events' normalized activity: export, read, create, update, delete … */
  activity: string;
  rows: number;
  /** Events that carried the count. */
  events: number;
  /** What one event is: "queries", "API calls", "statements". */
  unit: string;
  /** Names of the objects (sObject types, tables) the events read or wrote, first seen first. */
  objects: string[];
};

export type HeadlinePrivileged = {
  /** The platform's event name. */
  name: string;
  count: number;
  /** The governance verdict in words ("approved", "Unapproved", "Outside grant window"); null when no check ran. */
  verdict: string | null;
};

export type HeadlineFacts = {
  /** The identity's display name, or the actor name the events carry when no identity is resolved. */
  actor: string | null;
  /** The display name is only the platform's id for the actor (a Salesforce user id): the client's name reads better. */
  actorIsId: boolean;
  eventCount: number;
  /** Distinct actions with their counts, most frequent first. */
  actions: { name: string; count: number }[];
  volumes: HeadlineVolume[];
  /** Business objects changed (targets of successful changing events). */
  objectsChanged: { type: string; id: string; name: string | null }[];
  /** The OAuth client / connected app name the events carry most (or its id when unnamed). */
  client: string | null;
  /** The user agent the events carry most, verbatim. */
  userAgent: string | null;
  /** The source address most of the session's events came from. */
  srcIp: string | null;
  /** true: the identity's earlier sessions never came from srcIp; false: one did; null: no earlier session to compare. */
  newNetwork: boolean | null;
  /** The identity's last call before srcIp was first used: its time and address. */
  previous: { at: string; ip: string | null } | null;
  /** When srcIp was first used in the session (the session's start when it has no address). */
  startedAt: string;
  privileged: HeadlinePrivileged[];
};

const VERBS: Record<string, string> = {
  export: "exported",
  read: "read",
  create: "created",
  update: "updated",
  delete: "deleted",
  download: "downloaded",
  upload: "uploaded",
};

/** 750000 -> "750k", 1234567 -> "1.2M", 980 -> "980". */
export function compactCount(n: number): string {
  if (n < 1000) return String(Math.round(n));
  if (n < 1_000_000) return `${trim(n / 1000)}k`;
  if (n < 1_000_000_000) return `${trim(n / 1_000_000)}M`;
  return `${trim(n / 1_000_000_000)}B`;
}
const trim = (x: number) => (x >= 100 ? String(Math.round(x)) : x.toFixed(1).replace(/\.0$/, ""));

/** 3 h, 25 min, 2 d: the gap between two instants, rounded to the unit that reads best. */
export function gapText(ms: number): string {
  const min = Math.round(ms / 60000);
  if (min < 1) return "under a minute";
  if (min < 90) return `${min} min`;
  const h = Math.round(ms / 3600000);
  if (h < 48) return `${h} h`;
  return `${Math.round(ms / 86400000)} d`;
}

/**
 * The client's product as people name it: "python-requests/2.32.3" -> "python-requests"; a browser's
 * "Mozilla/5.0 (…) Chrome/120 …" -> "Chrome"; "aws-cli/2.15 Python/3.11" -> "aws-cli"; other text as written (cut).
 */
export function userAgentName(ua: string): string {
  const t = ua.trim();
  if (/^Mozilla\//.test(t)) {
    for (const [re, name] of [
      [/\bEdg(e|A|iOS)?\//, "Edge"],
      [/\bFirefox\//, "Firefox"],
      [/\bChrome\//, "Chrome"],
      [/\bSafari\//, "Safari"],
    ] as const)
      if (re.test(t)) return name;
    return "a browser";
  }
  const first = /^([A-Za-z][\w.-]*)\/[\w.]+/.exec(t);
  if (first) return first[1];
  return t.length > 40 ? `${t.slice(0, 39)}…` : t;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString("en")} ${n === 1 ? one : many}`;
const unitOf = (n: number, unit: string) => (n === 1 ? unit.replace(/ies$/, "y").replace(/s$/, "") : unit);

function listWords(xs: string[], max = 3): string {
  const shown = xs.slice(0, max);
  const more = xs.length - shown.length;
  if (more > 0) return `${shown.join(", ")} and ${more} more`;
  return shown.length > 1 ? `${shown.slice(0, -1).join(", ")} and ${shown[shown.length - 1]}` : (shown[0] ?? "");
}

/** What the session did, as a verb phrase: rows moved when the vendor counts them, else objects changed, else actions. */
function whatClause(f: HeadlineFacts): string {
  const v = [...f.volumes].sort((a, b) => b.rows - a.rows)[0];
  if (v && v.rows > 0) {
    const verb = VERBS[v.activity] ?? `${v.activity.replace(/_/g, " ")}:`;
    const objects = v.objects.length ? `${listWords(v.objects, 2)} ` : "";
    return `${verb} ${compactCount(v.rows)} ${objects}${v.rows === 1 ? "row" : "rows"} in ${v.events.toLocaleString("en")} ${unitOf(v.events, v.unit)}`;
  }
  if (f.objectsChanged.length) {
    const names = f.objectsChanged.map((o) => `${o.type} ${o.name ?? o.id}`);
    return `changed ${f.objectsChanged.length === 1 ? names[0] : `${f.objectsChanged.length} objects (${listWords(names, 2)})`}`;
  }
  if (f.actions.length) {
    const top = f.actions.slice(0, 2).map((a) => (a.count > 1 ? `${a.name} ×${a.count.toLocaleString("en")}` : a.name));
    return `ran ${plural(f.eventCount, "event")}: ${listWords(top, 2)}${f.actions.length > 2 ? ", …" : ""}`;
  }
  return "has no events";
}

function networkClause(f: HeadlineFacts): string {
  if (!f.srcIp) return "";
  return ` from ${f.newNetwork ? "new IP" : "IP"} ${f.srcIp}`;
}

/** Who: the identity's name; when that name is only the platform's id and a client is named, the client acting as it. */
function whoText(f: HeadlineFacts): string {
  if (!f.actor) return f.client ?? "An unidentified actor";
  return f.actorIsId && f.client ? `${f.client} (as ${f.actor})` : f.actor;
}

function clientClause(f: HeadlineFacts): string {
  const parts: string[] = [];
  // The client is worth naming only when the headline does not already lead with it or the actor is that app.
  const actor = norm(f.actor ?? "");
  if (f.client && !(f.actorIsId || !f.actor) && norm(f.client) !== actor && !actor.startsWith(norm(f.client)))
    parts.push(` via ${f.client}`);
  if (f.userAgent) parts.push(` with ${userAgentName(f.userAgent)}`);
  return parts.join("");
}
const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, "");

function previousClause(f: HeadlineFacts): string {
  if (!f.previous) return "";
  const gap = Date.parse(f.startedAt) - Date.parse(f.previous.at);
  if (!(gap > 0)) return "";
  return `, ${gapText(gap)} after its last call${f.previous.ip && f.previous.ip !== f.srcIp ? ` from ${f.previous.ip}` : ""}`;
}

function privilegedSentence(f: HeadlineFacts): string {
  if (!f.privileged.length) return "";
  const total = f.privileged.reduce((a, p) => a + p.count, 0);
  const items = f.privileged.map((p) => `${p.count > 1 ? `${p.name} ×${p.count}` : p.name} (${p.verdict ?? "not checked"})`);
  return ` ${plural(total, "privileged action")}: ${listWords(items, 3)}.`;
}

/** The headline sentence of one session. */
export function sessionHeadline(f: HeadlineFacts): string {
  return `${whoText(f)} ${whatClause(f)}${networkClause(f)}${clientClause(f)}${previousClause(f)}.${privilegedSentence(f)}`;
}
