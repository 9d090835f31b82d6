import { REFUSED_TICKET_STATE } from "@/lib/ingest/project-governance";
import { GRANT_PLATFORM_ALIASES, grantCoversPlatform, grantPrivilegeLevel, type Classification } from "./privileged-actions";
import { jitRequiredOn, type GovernanceSettings } from "./settings";
import {
  CATEGORY_LABEL,
  CHECK_RULES,
  CHECK_STATUSES,
  type CheckRule,
  type CheckStatus,
  type FailingStatus,
  type RuleOutcome,
} from "./types";

// The matching of one privileged action to its approval ticket and JIT grant, as a pure function: each rule is a
// named check with an outcome (pass, fail with its status, or skip) and a reason in plain words.
// lib/governance/run-governance-checks.ts loads the candidates with SQL, calls this once per action, then counts
// each ticket's uses across the actions (applyTicketUses); the tests call both directly.

export type CheckEvent = {
  id: string;
  platform: string;
  time: Date;
  eventName: string;
  /** The identities the actor is proven to be (the event's identity, the session's initiator, a linked sign-in's). */
  identityIds: string[];
  /** Lower-cased names the actor is proven to go by: logins, emails, aliases of its identities. Empty when unproven. */
  keys: string[];
  /** Display names of the actor's identities (tickets name approvers and requesters by name). */
  displayNames: string[];
  /** What the action acted on: resource names and ids, as recorded. */
  objects: string[];
  /** Other identifiers of those objects (resources' alternate_id: an Okta target user's login), as recorded. */
  objectAltIds: string[];
  targetName: string | null;
  /** The event is itself a grant record (PAM feed grant, PIM activation); its own access_grant row, if projected. */
  ownGrantId: string | null;
  isGrant: boolean;
  /** Whether who acted is proven, and how (or why not). */
  identity: { proven: boolean; reason: string };
};

export type CandidateApproval = {
  id: string;
  system: string;
  ticketKey: string;
  approved: boolean | null;
  status: string | null;
  requester: string | null;
  approver: string | null;
  approvedAt: Date | null;
  windowStart: Date | null;
  windowEnd: Date | null;
  scope: string | null;
  linkedIdentities: string[];
  linkedItems: string[];
};

export type CandidateGrant = {
  id: string;
  externalId: string;
  principal: string;
  identityId: string | null;
  privilege: string;
  platform: string;
  grantedAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
  ticketKey: string | null;
};

export type FoundDecision = { id: string; engine: string; result: string; policy: string | null; how: "own" | "session" | "subject" };

export type CheckResult = {
  approvalId: string | null;
  approvalRef: string | null;
  approved: boolean | null;
  grantId: string | null;
  grantRef: string | null;
  insideWindow: boolean | null;
  minutesOutside: number | null;
  grantBroader: boolean | null;
  usedPrivilege: string;
  policyDecisionId: string | null;
  policyResult: string | null;
  status: CheckStatus;
  statuses: FailingStatus[];
  checks: RuleOutcome[];
  /** Context: the catalog's classification, the policy decision at request time. */
  reasons: string[];
};

/** How far from its window a JIT grant or a ticket still explains an action; farther, the action had none. */
const HORIZON_MS = 24 * 3600_000;

const MINUTE = 60_000;
const fmt = (d: Date) => d.toISOString().replace(".000Z", "Z").replace("T", " ");
const minutes = (ms: number) => Math.ceil(ms / MINUTE);
/**
 * The measured offset in words, exact to the second (rounded up): seconds below two minutes, else minutes and the
 * seconds left over ("2 min 1 s"). Rounding 121 s up to "3 min" would hide why it fails a 120 s tolerance.
 */
export function offset(ms: number): string {
  const s = Math.ceil(ms / 1000);
  if (s < 120) return `${s} s`;
  return s % 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s / 60} min`;
}

/** The moment a grant stops: its expiry or its revocation, whichever is first (null: open-ended). */
function grantEnd(g: Pick<CandidateGrant, "expiresAt" | "revokedAt">): Date | null {
  if (g.expiresAt && g.revokedAt) return g.revokedAt < g.expiresAt ? g.revokedAt : g.expiresAt;
  return g.revokedAt ?? g.expiresAt;
}

/** Milliseconds outside [grantedAt, end] (0 inside), and on which side. */
function outsideBy(g: CandidateGrant, t: Date): { ms: number; side: "before" | "after" | null } {
  if (t < g.grantedAt) return { ms: g.grantedAt.getTime() - t.getTime(), side: "before" };
  const end = grantEnd(g);
  if (end && t > end) return { ms: t.getTime() - end.getTime(), side: "after" };
  return { ms: 0, side: null };
}

/** Names compared as configuration items and object names: lower case, punctuation and spacing collapsed. */
export function normalizeName(v: string): string {
  return v
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

/** Whether the normalized item holds the normalized phrase as whole words (a platform named in a CI's name). */
const holdsWords = (item: string, phrase: string) => phrase !== "" && ` ${item} `.includes(` ${phrase} `);

/** A name and, for a path or ARN, its last segment (arn:aws:iam::1:role/deployer → deployer), normalized. */
const namesOf = (v: string) => [...new Set([v, v.split(/[/:]/).pop() ?? v].map(normalizeName))].filter((x) => x.length >= 3);

/**
 * An alternate identifier (an Okta user's login or email) as compared with ticket items: the whole value, Unicode- and
 * case-normalized, nothing collapsed or cut, so "doe@example.com" or "jdoe" never names "jdoe@example.com".
 */
const altKey = (v: string) => v.normalize("NFKC").trim().toLowerCase();

/** The names a platform goes by in tickets: its id and the aliases grants use (aws, salesforce, entra, …). */
function platformWords(platform: string): string[] {
  return [...new Set([platform, ...(GRANT_PLATFORM_ALIASES[platform] ?? [])].map(normalizeName))].filter((w) => w.length >= 2);
}

/** The platforms a grant's platform text stands for (aws:111122223333 → aws-cloudtrail), or the text itself. */
function platformsOfGrant(grantPlatform: string): string[] {
  const g = grantPlatform.toLowerCase().split(":")[0].trim();
  const known = Object.entries(GRANT_PLATFORM_ALIASES)
    .filter(([p, aliases]) => p === g || aliases.includes(g))
    .map(([p]) => p);
  return known.length ? known : [g];
}

type Scope = { verdict: "in" | "unscoped" | "out"; reason: string };

/**
 * What the ticket's structured names (configuration items, components, object fields) say about this action: "in"
 * when they name its platform and the object or privileged category acted on; "out" when they name only other
 * things; "unscoped" when they name nothing, or only one of the two. Free text (summary, description) never counts.
 */
export function scopeOf(
  a: Pick<CandidateApproval, "ticketKey" | "linkedItems">,
  platforms: string[],
  objects: string[],
  classification: Pick<Classification, "category" | "privilege">,
  /** Other identifiers of the objects (resources' alternate_id), matched whole and case-insensitively. */
  objectAltIds: string[] = [],
): Scope {
  const items = a.linkedItems.map(normalizeName).filter((x) => x !== "");
  const words = platforms.flatMap(platformWords);
  // An object is named by its name or id, exactly (normalized): "payments-deployer-legacy" does not name "payments-deployer".
  const objectNames = new Set(objects.flatMap(namesOf));
  const categoryNames = new Set(
    [classification.category, CATEGORY_LABEL[classification.category], classification.privilege].map(normalizeName),
  );
  const platformItem = a.linkedItems.find((_, i) => words.some((w) => holdsWords(items[i], w)));
  // "github:acme-corp" names the platform and its tenant: the tenant is where the action ran, not the object acted on,
  // so an item's name after its platform prefix does not count as naming the object (the org resource of every GitHub
  // event would otherwise make a platform-only ticket "in scope").
  const tenantOf = (x: string) => {
    const m = /^([^:]+):(.+)$/.exec(x.trim());
    return m && words.includes(normalizeName(m[1])) ? normalizeName(m[2]) : null;
  };
  const altIds = new Set(objectAltIds.map(altKey).filter((x) => x !== ""));
  // An item may carry its platform as a prefix ("okta:jdoe@example.com"): the rest is then compared too.
  const altNamed = (x: string) => [x, /^[^:]+:(.+)$/.exec(x)?.[1] ?? x].some((v) => altIds.has(altKey(v)));
  const objectItem = a.linkedItems.find(
    (x) => namesOf(x).some((n) => (objectNames.has(n) || categoryNames.has(n)) && n !== tenantOf(x)) || altNamed(x),
  );
  const named = a.linkedItems.length ? a.linkedItems.join(", ") : "";
  const what = `${objects[0] ?? "the object"} or ${CATEGORY_LABEL[classification.category].toLowerCase()}`;
  if (platformItem !== undefined && objectItem !== undefined)
    return { verdict: "in", reason: `${a.ticketKey} names ${platforms[0]} ("${platformItem}") and what was acted on ("${objectItem}")` };
  if (items.length === 0)
    return {
      verdict: "unscoped",
      reason: `${a.ticketKey} names no configuration item or object (its free text does not count), so it authorizes nothing in particular`,
    };
  if (platformItem === undefined && objectItem === undefined)
    return { verdict: "out", reason: `${a.ticketKey} names only ${named}, not ${platforms[0]} and ${what}` };
  return {
    verdict: "unscoped",
    reason:
      platformItem !== undefined
        ? `${a.ticketKey} names ${platforms[0]} ("${platformItem}") but not what was acted on (${what})`
        : `${a.ticketKey} names "${objectItem}" but not the platform ${platforms[0]}`,
  };
}

type TicketState = "approved" | "refused" | "pending";
function ticketState(a: CandidateApproval): TicketState {
  // A state that calls the change off never authorizes, whatever the approval field says.
  if (a.status !== null && REFUSED_TICKET_STATE.test(a.status)) return "refused";
  return a.approved === true ? "approved" : "pending";
}

/** The instant an approval stops authorizing: the planned window's end, else the approval's time plus the validity. */
function validUntil(a: CandidateApproval, settings: GovernanceSettings): Date | null {
  if (a.windowEnd) return a.windowEnd;
  const from = a.approvedAt ?? a.windowStart;
  return from ? new Date(from.getTime() + settings.approvalValidityHours * 3600_000) : null;
}

/** Milliseconds from the action to the ticket's validity ([windowStart or approvedAt, validUntil]); 0 inside. */
function ticketDistance(a: CandidateApproval, t: Date, settings: GovernanceSettings): number {
  const start = a.windowStart ?? a.approvedAt;
  const end = validUntil(a, settings);
  if (start && t < start) return start.getTime() - t.getTime();
  if (end && t > end) return t.getTime() - end.getTime();
  return start || end ? 0 : HORIZON_MS; // a ticket with no time at all: considered, after every timed one
}

const isDeny = (result: string) => /^(deny|denied|false|failure|block|blocked|challenge)$/i.test(result);

const pass = (rule: CheckRule, reason: string): RuleOutcome => ({ rule, result: "pass", status: null, reason });
const fail = (rule: CheckRule, status: FailingStatus, reason: string): RuleOutcome => ({ rule, result: "fail", status, reason });
const skip = (rule: CheckRule, reason: string): RuleOutcome => ({ rule, result: "skip", status: null, reason });

/** The failing statuses of a set of outcomes, in CHECK_STATUSES order, and the one shown first. */
export function statusesOf(checks: RuleOutcome[]): { status: CheckStatus; statuses: FailingStatus[] } {
  const failing = new Set(checks.flatMap((c) => (c.status ? [c.status] : [])));
  const statuses = CHECK_STATUSES.filter((s): s is FailingStatus => s !== "ok" && failing.has(s));
  return { status: statuses[0] ?? "ok", statuses };
}

/** The reason shown with a check's status: the first failing rule's, followed by the other failures; for ok, a summary. */
export function primaryReason(status: CheckStatus, checks: RuleOutcome[]): string {
  const failing = checks.filter((c) => c.status !== null);
  if (status === "ok") {
    const passed = checks.filter((c) => c.result === "pass").map((c) => c.reason);
    return passed.length ? passed.join("; ") : "no rule applied";
  }
  const first = failing.find((c) => c.status === status) ?? failing[0];
  const others = failing.filter((c) => c !== first).map((c) => `${c.status}: ${c.reason}`);
  return [first.reason, ...(others.length ? [`also ${others.join("; ")}`] : [])].join("; ");
}

export function evaluateCheck({
  event,
  classification,
  approvals,
  grants,
  decision,
  settings,
}: {
  event: CheckEvent;
  classification: Classification;
  approvals: CandidateApproval[];
  grants: CandidateGrant[];
  decision: FoundDecision | null;
  settings: GovernanceSettings;
}): CheckResult {
  const reasons: string[] = [];
  const checks: RuleOutcome[] = [];
  const t = event.time;
  const skewMs = settings.clockSkewSeconds * 1000;
  const keys = new Set(event.keys.map((k) => k.toLowerCase()));
  const ids = new Set(event.identityIds);
  if (classification.reason) reasons.push(classification.reason);

  // ---- the policy decision at request time (context, not a rule of its own)
  if (decision) {
    const where =
      decision.how === "own"
        ? "recorded with the action"
        : decision.how === "session"
          ? "recorded earlier in the same session"
          : "the actor's nearest earlier decision";
    reasons.push(`policy ${decision.engine}${decision.policy ? ` (${decision.policy})` : ""}: ${decision.result}, ${where}`);
    if (isDeny(decision.result)) reasons.push(`the policy decision was ${decision.result}, yet the action was recorded`);
  }

  const result = (over: Partial<CheckResult>): CheckResult => {
    const { status, statuses } = statusesOf(checks);
    return {
      approvalId: null,
      approvalRef: null,
      approved: null,
      grantId: null,
      grantRef: null,
      insideWindow: null,
      minutesOutside: null,
      grantBroader: null,
      usedPrivilege: classification.privilege,
      policyDecisionId: decision?.id ?? null,
      policyResult: decision?.result ?? null,
      ...over,
      status,
      statuses,
      checks,
      reasons,
    };
  };

  // ---- identity: a caller-chosen name proves no one; without proof nothing is matched to it.
  if (!event.identity.proven) {
    checks.push(fail("identity", "identity_unproven", event.identity.reason));
    for (const rule of CHECK_RULES.slice(1)) checks.push(skip(rule, "not matched: who acted is not proven"));
    return result({});
  }
  checks.push(pass("identity", event.identity.reason));

  // ---- the JIT grant
  let grant: CandidateGrant | null = null;
  let inside: boolean | null = null;
  let minutesOut: number | null = null;
  let broader: boolean | null = null;
  let jit: RuleOutcome;
  let breadth: RuleOutcome;
  if (event.isGrant) {
    grant = event.ownGrantId ? (grants.find((g) => g.id === event.ownGrantId) ?? null) : null;
    inside = true;
    minutesOut = 0;
    jit =
      grant && grant.expiresAt === null
        ? fail(
            "jit",
            "standing_privilege",
            `grant ${grant.externalId} ("${grant.privilege}" for ${grant.principal}) has no end: standing privilege, not a JIT window${grant.revokedAt ? ` (revoked at ${fmt(grant.revokedAt)})` : ""}`,
          )
        : pass("jit", "this event is the grant itself: it needs an approval, not another grant");
    breadth = skip("grant_breadth", "the grant itself uses no privilege");
  } else {
    const mine = grants.filter(
      (g) => (ids.has(g.identityId ?? "") || keys.has(g.principal.toLowerCase())) && grantCoversPlatform(g.platform, event.platform),
    );
    const scored = mine
      .map((g) => {
        const o = outsideBy(g, t);
        return { g, ...o, beyond: Math.max(0, o.ms - skewMs) };
      })
      .filter((x) => x.ms <= HORIZON_MS)
      // Inside (within the tolerance) first; then a grant with an end over an open-ended one; then the nearest
      // window; then the narrowest privilege; then the latest grant.
      .sort(
        (a, b) =>
          Number(a.beyond > 0) - Number(b.beyond > 0) ||
          Number(a.g.expiresAt === null) - Number(b.g.expiresAt === null) ||
          a.ms - b.ms ||
          grantPrivilegeLevel(a.g.privilege) - grantPrivilegeLevel(b.g.privilege) ||
          b.g.grantedAt.getTime() - a.g.grantedAt.getTime(),
      );
    if (scored.length) {
      const best = scored[0];
      grant = best.g;
      inside = best.beyond === 0;
      // The measured offset: the tolerance decides inside or outside, it is not subtracted.
      minutesOut = inside ? 0 : minutes(best.ms);
      const end = grantEnd(grant);
      const window = `${fmt(grant.grantedAt)} – ${end ? fmt(end) : "open-ended"}`;
      const name = `grant ${grant.externalId} ("${grant.privilege}" for ${grant.principal}, ${window})`;
      const tolerance = `the ${settings.clockSkewSeconds} s clock-skew tolerance`;
      const revoked =
        grant.revokedAt && end && end.getTime() === grant.revokedAt.getTime() && (!grant.expiresAt || grant.revokedAt < grant.expiresAt);
      const edge =
        best.side === "before" ? "before it took effect" : revoked ? `after it was revoked at ${fmt(grant.revokedAt!)}` : "after it ended";
      if (grant.expiresAt === null) {
        jit = fail("jit", "standing_privilege", `${name} has no end: standing privilege, not a JIT window`);
      } else if (best.side === null) jit = pass("jit", `inside ${name}`);
      else if (inside) jit = pass("jit", `${offset(best.ms)} ${edge}, within ${tolerance}: inside ${name}`);
      else
        jit = fail(
          "jit",
          "outside_window",
          `${offset(best.ms)} ${edge} (beyond ${tolerance}): outside ${name}${revoked && grant.expiresAt ? `, which was to expire at ${fmt(grant.expiresAt)}` : ""}`,
        );
      broader =
        grant.privilege.toLowerCase() !== classification.privilege.toLowerCase() &&
        grantPrivilegeLevel(grant.privilege) > classification.level;
      breadth = broader
        ? fail(
            "grant_breadth",
            "over_broad_grant",
            `grant "${grant.privilege}" is broader than the action needs ("${classification.privilege}")`,
          )
        : pass("grant_breadth", `grant "${grant.privilege}" is no broader than the action needs ("${classification.privilege}")`);
    } else {
      const why = mine.length
        ? `no JIT grant within ${HORIZON_MS / 3600_000} h of the action (the actor's nearest grant on ${event.platform} is farther)`
        : `no JIT grant for the actor on ${event.platform}`;
      jit = jitRequiredOn(settings, event.platform)
        ? fail("jit", "standing_privilege", `${why}, and ${event.platform} requires one (setting): the privilege was standing`)
        : pass("jit", `${why}; ${event.platform} does not require JIT grants (setting), so the approval alone authorizes it`);
      breadth = skip("grant_breadth", "no grant");
    }
  }

  // ---- the approval ticket
  const scopePlatforms = event.isGrant && grant ? platformsOfGrant(grant.platform) : [event.platform];
  const grantTicket = grant?.ticketKey ?? null;
  // A grant record's object is the privilege it grants (not the account it names, which the CI names anyway).
  const scopeObjects = event.isGrant && grant ? [grant.privilege] : event.objects;
  const scopeAltIds = event.isGrant && grant ? [] : event.objectAltIds;
  const scoped = (a: CandidateApproval) => scopeOf(a, scopePlatforms, scopeObjects, classification, scopeAltIds);
  let ticket: CandidateApproval | null = null;
  let scope: Scope | null = null;
  if (grantTicket !== null) {
    // The grant names its ticket: that ticket, and no other, must authorize the action.
    ticket = approvals.find((a) => a.ticketKey.toLowerCase() === grantTicket.toLowerCase()) ?? null;
    if (!ticket) {
      checks.push(
        skip("ticket", `the grant names ticket ${grantTicket}`),
        fail(
          "grant_ticket",
          "grant_ticket_invalid",
          `grant ${grant!.externalId} names ticket ${grantTicket}, which is not in the approval feeds; another ticket does not stand in for it`,
        ),
        skip("scope", `ticket ${grantTicket} not found`),
      );
    } else scope = scoped(ticket);
  } else {
    const linked = approvals.filter((a) =>
      [...a.linkedIdentities, ...(a.requester ? [a.requester] : [])].some((x) => keys.has(x.toLowerCase())),
    );
    const candidates = linked
      .map((a) => ({ a, scope: scoped(a), state: ticketState(a), d: ticketDistance(a, t, settings) }))
      .filter((c) => c.d <= HORIZON_MS);
    const outOfScope = candidates.filter((c) => c.scope.verdict === "out");
    const inScope = candidates
      .filter((c) => c.scope.verdict !== "out")
      .sort(
        (x, y) =>
          Number(x.scope.verdict !== "in") - Number(y.scope.verdict !== "in") ||
          ["approved", "pending", "refused"].indexOf(x.state) - ["approved", "pending", "refused"].indexOf(y.state) ||
          Number(x.d > 0) - Number(y.d > 0) ||
          x.d - y.d,
      );
    if (inScope.length) {
      ticket = inScope[0].a;
      scope = inScope[0].scope;
    } else {
      const why = outOfScope.length
        ? `no ticket for this action: ${outOfScope.map((c) => c.scope.reason).join("; ")}`
        : linked.length
          ? `no ticket naming the actor is valid within ${HORIZON_MS / 3600_000} h of the action`
          : "no approval ticket names the actor";
      checks.push(fail("ticket", "unapproved", why), skip("grant_ticket", "no grant names a ticket"), skip("scope", "no ticket"));
    }
  }

  if (ticket && scope) {
    const viaGrant = grantTicket !== null;
    const state = ticketState(ticket);
    const stateText = ticket.status ? ` (state ${ticket.status})` : "";
    const stateOutcome: RuleOutcome =
      state === "approved"
        ? pass("ticket", `${ticket.system} ${ticket.ticketKey} is approved${stateText}`)
        : state === "refused"
          ? fail(
              "ticket",
              "ticket_rejected",
              `${ticket.system} ${ticket.ticketKey} was rejected or called off${stateText}: it never authorizes`,
            )
          : fail("ticket", "unapproved", `${ticket.system} ${ticket.ticketKey} records no approval${stateText}`);
    // An out-of-scope ticket is chosen only when a grant names it (then the grant's ticket is invalid).
    const scopeOutcome: RuleOutcome =
      scope.verdict === "in" ? pass("scope", scope.reason) : fail("scope", "approval_unscoped", scope.reason);
    if (viaGrant) {
      // The grant's own ticket: any of its problems is the grant's (grant_ticket_invalid).
      const problems = [stateOutcome, scopeOutcome].filter((o) => o.result === "fail").map((o) => o.reason);
      checks.push(
        skip("ticket", `the grant names ticket ${ticket.ticketKey}`),
        problems.length
          ? fail(
              "grant_ticket",
              "grant_ticket_invalid",
              `grant ${grant!.externalId} names ticket ${ticket.ticketKey}: ${problems.join("; ")}; another ticket does not stand in for it`,
            )
          : pass("grant_ticket", `grant ${grant!.externalId} names ticket ${ticket.ticketKey}, approved and in scope`),
        scopeOutcome.result === "pass" ? scopeOutcome : skip("scope", "judged with the grant's ticket"),
      );
    } else checks.push(stateOutcome, skip("grant_ticket", grant ? "the grant names no ticket" : "no grant"), scopeOutcome);
  }

  // ---- timing and separation of duties, for an approved ticket
  if (ticket && ticketState(ticket) === "approved") {
    const k = ticket.ticketKey;
    if (!ticket.approvedAt) {
      checks.push(
        fail("approval_time", "approved_after_action", `${k} records no approval time, so nothing shows it was approved before the action`),
      );
    } else if (t.getTime() < ticket.approvedAt.getTime() - skewMs) {
      checks.push(
        fail(
          "approval_time",
          "approved_after_action",
          `the action ran ${offset(ticket.approvedAt.getTime() - t.getTime())} before ${k} was approved at ${fmt(ticket.approvedAt)}`,
        ),
      );
    } else
      checks.push(
        pass(
          "approval_time",
          t < ticket.approvedAt
            ? `${k} was approved ${offset(ticket.approvedAt.getTime() - t.getTime())} after the action, within the ${settings.clockSkewSeconds} s clock-skew tolerance`
            : `${k} was approved at ${fmt(ticket.approvedAt)}, before the action`,
        ),
      );
    const until = validUntil(ticket, settings);
    const window = ticket.windowEnd
      ? `its planned window ${ticket.windowStart ? fmt(ticket.windowStart) : "…"} – ${fmt(ticket.windowEnd)}`
      : `${settings.approvalValidityHours} h after approval (setting), until ${until ? fmt(until) : "…"}`;
    if (ticket.windowStart && t.getTime() < ticket.windowStart.getTime() - skewMs)
      checks.push(
        fail(
          "approval_validity",
          "approval_not_yet_valid",
          `the action ran ${offset(ticket.windowStart.getTime() - t.getTime())} before ${k}'s planned window opened (${window})`,
        ),
      );
    else if (until && t.getTime() > until.getTime() + skewMs)
      checks.push(
        fail(
          "approval_validity",
          "approval_expired",
          `the action ran ${offset(t.getTime() - until.getTime())} after ${k} stopped authorizing: ${window}`,
        ),
      );
    else if (!until) checks.push(fail("approval_validity", "approval_expired", `${k} records neither a window nor an approval time`));
    else {
      const edge =
        ticket.windowStart && t < ticket.windowStart
          ? ticket.windowStart.getTime() - t.getTime()
          : t > until
            ? t.getTime() - until.getTime()
            : 0;
      checks.push(
        pass(
          "approval_validity",
          edge > 0
            ? `${offset(edge)} outside ${window}, within the ${settings.clockSkewSeconds} s clock-skew tolerance`
            : `inside ${window}`,
        ),
      );
    }
    const approver = ticket.approver?.trim().toLowerCase() ?? null;
    const actorNames = new Set([...keys, ...event.displayNames.map((n) => n.trim().toLowerCase())]);
    if (approver === null || approver === "")
      checks.push(fail("separation_of_duties", "approver_unknown", `${k} records no approver, so separation of duties cannot be checked`));
    else if (actorNames.has(approver))
      checks.push(fail("separation_of_duties", "self_approved", `${k} was approved by ${ticket.approver}, who is the actor`));
    else if (ticket.requester && ticket.requester.trim().toLowerCase() === approver)
      checks.push(fail("separation_of_duties", "self_approved", `${k} was approved by its own requester, ${ticket.approver}`));
    else
      checks.push(
        pass(
          "separation_of_duties",
          `approved by ${ticket.approver}, neither the actor nor the requester${ticket.requester ? ` (${ticket.requester})` : ""}`,
        ),
      );
  } else {
    const why = ticket ? `${ticket.ticketKey} is not approved` : "no ticket";
    checks.push(skip("approval_time", why), skip("approval_validity", why), skip("separation_of_duties", why));
  }
  checks.push(ticket ? pass("ticket_uses", "counted over all actions") : skip("ticket_uses", "no ticket"), jit, breadth);

  return result({
    approvalId: ticket?.id ?? null,
    approvalRef: ticket?.ticketKey ?? grantTicket,
    approved: ticket?.approved ?? null,
    grantId: grant?.id ?? null,
    grantRef: grant?.externalId ?? null,
    insideWindow: inside,
    minutesOutside: minutesOut,
    grantBroader: broader,
  });
}

/**
 * How many actions cite each ticket: the first `maxActionsPerTicket` in time order pass, every later one fails
 * (ticket_overused) with the count. Changes the results in place.
 */
export function applyTicketUses(results: { time: Date; eventId: string; r: CheckResult }[], settings: GovernanceSettings): void {
  const byTicket = new Map<string, { time: Date; eventId: string; r: CheckResult }[]>();
  for (const x of results)
    if (x.r.approvalId) (byTicket.get(x.r.approvalId) ?? byTicket.set(x.r.approvalId, []).get(x.r.approvalId)!).push(x);
  const max = settings.maxActionsPerTicket;
  for (const uses of byTicket.values()) {
    uses.sort((a, b) => a.time.getTime() - b.time.getTime() || Number(BigInt(a.eventId) - BigInt(b.eventId)));
    uses.forEach(({ r }, i) => {
      const k = r.approvalRef;
      const at = r.checks.findIndex((c) => c.rule === "ticket_uses");
      r.checks[at] =
        i < max
          ? pass("ticket_uses", `action ${i + 1} of ${uses.length} citing ${k} (at most ${max} per ticket, setting)`)
          : fail(
              "ticket_uses",
              "ticket_overused",
              `${k} is cited by ${uses.length} privileged actions, more than the maximum of ${max} per ticket (setting); this is action ${i + 1}`,
            );
      Object.assign(r, statusesOf(r.checks));
    });
  }
}
