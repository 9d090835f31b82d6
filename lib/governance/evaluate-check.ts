import { GRANT_PLATFORM_ALIASES, grantCoversPlatform, grantPrivilegeLevel, type Classification } from "./privileged-actions";
import type { CheckStatus } from "./types";

// The matching of one privileged action to its approval, JIT grant and policy decision, as a pure function:
// lib/governance/run-governance-checks.ts loads the candidates with SQL and calls it once per action; the
// tests call it directly. Every decision it makes is written into `reasons`, in words.

export type CheckEvent = {
  id: string;
  platform: string;
  time: Date;
  eventName: string;
  /** The identity (and the session's initiator, for an NHI session a person drives), when correlated. */
  identityIds: string[];
  /** Lower-cased names of the actor: logins, emails, aliases of its identities. */
  keys: string[];
  targetName: string | null;
  /** The event is itself a grant record (PAM feed grant, PIM activation); its own access_grant row, if projected. */
  ownGrantId: string | null;
  isGrant: boolean;
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
  insideWindow: boolean | null;
  minutesOutside: number | null;
  grantBroader: boolean | null;
  usedPrivilege: string;
  policyDecisionId: string | null;
  policyResult: string | null;
  status: CheckStatus;
  reasons: string[];
};

/** How far before or after its window a JIT grant still explains an action; farther, the action had no grant. */
const GRANT_HORIZON_MS = 24 * 3600_000;

const MINUTE = 60_000;
const fmt = (d: Date) => d.toISOString().replace(".000Z", "Z").replace("T", " ");
const minutes = (ms: number) => Math.ceil(ms / MINUTE);

/** The moment a grant stops: its expiry or its revocation, whichever is first (null: open-ended). */
function grantEnd(g: Pick<CandidateGrant, "expiresAt" | "revokedAt">): Date | null {
  if (g.expiresAt && g.revokedAt) return g.revokedAt < g.expiresAt ? g.revokedAt : g.expiresAt;
  return g.revokedAt ?? g.expiresAt;
}

/** Milliseconds outside [grantedAt, end]; 0 inside. */
function outsideBy(g: CandidateGrant, t: Date): number {
  if (t < g.grantedAt) return g.grantedAt.getTime() - t.getTime();
  const end = grantEnd(g);
  if (end && t > end) return t.getTime() - end.getTime();
  return 0;
}

const approvalStart = (a: CandidateApproval) => a.windowStart ?? a.approvedAt;

/** Whether the ticket's window (windowStart or approvedAt .. windowEnd) holds the time; a ticket with no times holds none. */
function approvalCovers(a: CandidateApproval, t: Date): boolean {
  const start = approvalStart(a);
  if (!start && !a.windowEnd) return false;
  return (!start || t >= start) && (!a.windowEnd || t <= a.windowEnd);
}

/**
 * Whether what the ticket names (configuration items, scope text) points at this platform or target: true when
 * it names it, false when it names items that are not it, null when it names no items.
 */
function scopeMatches(a: Pick<CandidateApproval, "linkedItems" | "scope">, platform: string, targetName: string | null): boolean | null {
  if (a.linkedItems.length === 0) return null;
  const words = [platform, ...(GRANT_PLATFORM_ALIASES[platform] ?? [])].map((w) => w.toLowerCase()).filter((w) => w.length >= 3);
  const target = targetName?.toLowerCase() ?? null;
  const texts = [...a.linkedItems, ...(a.scope ? [a.scope] : [])].map((x) => x.toLowerCase());
  return texts.some(
    (x) =>
      words.some((w) => x.includes(w)) ||
      (target !== null && target.length >= 3 && (x.includes(target) || (x.length >= 3 && target.includes(x)))),
  );
}

const isDeny = (result: string) => /^(deny|denied|false|failure|block|blocked|challenge)$/i.test(result);

export function evaluateCheck({
  event,
  classification,
  approvals,
  grants,
  decision,
}: {
  event: CheckEvent;
  classification: Classification;
  approvals: CandidateApproval[];
  grants: CandidateGrant[];
  decision: FoundDecision | null;
}): CheckResult {
  const reasons: string[] = [];
  const t = event.time;
  const keys = new Set(event.keys.map((k) => k.toLowerCase()));
  const ids = new Set(event.identityIds);
  if (classification.reason) reasons.push(classification.reason);

  // ---- the JIT grant
  let grant: CandidateGrant | null = null;
  let inside: boolean | null = null;
  let minutesOut: number | null = null;
  let broader: boolean | null = null;
  if (event.isGrant) {
    grant = event.ownGrantId ? (grants.find((g) => g.id === event.ownGrantId) ?? null) : null;
    inside = true;
    minutesOut = 0;
    reasons.push("this event is the grant itself: it needs an approval, not another grant");
  } else {
    const mine = grants.filter(
      (g) => (ids.has(g.identityId ?? "") || keys.has(g.principal.toLowerCase())) && grantCoversPlatform(g.platform, event.platform),
    );
    const scored = mine
      .map((g) => ({ g, out: outsideBy(g, t) }))
      .filter((x) => x.out <= GRANT_HORIZON_MS)
      // Inside first; then the nearest window; then the narrowest privilege; then the latest grant.
      .sort(
        (a, b) =>
          a.out - b.out ||
          grantPrivilegeLevel(a.g.privilege) - grantPrivilegeLevel(b.g.privilege) ||
          b.g.grantedAt.getTime() - a.g.grantedAt.getTime(),
      );
    if (scored.length) {
      grant = scored[0].g;
      const out = scored[0].out;
      inside = out === 0;
      minutesOut = inside ? 0 : minutes(out);
      const end = grantEnd(grant);
      const window = `${fmt(grant.grantedAt)} – ${end ? fmt(end) : "open-ended"}`;
      if (inside) reasons.push(`inside JIT grant "${grant.privilege}" for ${grant.principal} (${window})`);
      else if (t < grant.grantedAt) reasons.push(`${minutesOut} min before JIT grant "${grant.privilege}" took effect (${window})`);
      else if (
        grant.revokedAt &&
        end &&
        end.getTime() === grant.revokedAt.getTime() &&
        (!grant.expiresAt || grant.revokedAt < grant.expiresAt)
      ) {
        reasons.push(
          `${minutesOut} min after JIT grant "${grant.privilege}" was revoked at ${fmt(grant.revokedAt)}${grant.expiresAt ? ` (it was to expire at ${fmt(grant.expiresAt)})` : ""}`,
        );
      } else reasons.push(`${minutesOut} min after JIT grant "${grant.privilege}" expired (${window})`);
      const grantLevel = grantPrivilegeLevel(grant.privilege);
      broader = grant.privilege.toLowerCase() !== classification.privilege.toLowerCase() && grantLevel > classification.level;
      if (broader) reasons.push(`grant "${grant.privilege}" is broader than the action needs ("${classification.privilege}")`);
    } else {
      reasons.push(
        mine.length
          ? `no JIT grant within ${GRANT_HORIZON_MS / 3600_000} h of the action (the actor's nearest grant on ${event.platform} is farther)`
          : `no JIT grant for the actor on ${event.platform}: the privilege was standing or granted outside the grant feeds`,
      );
    }
  }

  // ---- the approval
  const grantTicket = grant?.ticketKey?.toLowerCase() ?? null;
  const linked = approvals.filter(
    (a) =>
      (grantTicket !== null && a.ticketKey.toLowerCase() === grantTicket) ||
      [...a.linkedIdentities, ...(a.requester ? [a.requester] : [])].some((x) => keys.has(x.toLowerCase())),
  );
  const covering = linked
    .filter(
      (a) =>
        approvalCovers(a, t) ||
        (grantTicket !== null && a.ticketKey.toLowerCase() === grantTicket && !approvalStart(a) && !a.windowEnd && inside === true),
    )
    // A ticket the grant itself names is in scope by that reference; others must name this platform or target.
    .map((a) => ({
      a,
      scope: grantTicket !== null && a.ticketKey.toLowerCase() === grantTicket ? true : scopeMatches(a, event.platform, event.targetName),
    }));
  for (const c of covering.filter((c) => c.scope === false)) {
    reasons.push(`ticket ${c.a.ticketKey} covers the time but names only ${c.a.linkedItems.join(", ")}, not ${event.platform}`);
  }
  const rank = (x: { a: CandidateApproval; scope: boolean | null }) => [
    x.a.approved === true ? 0 : x.a.approved === null ? 1 : 2,
    grantTicket !== null && x.a.ticketKey.toLowerCase() === grantTicket ? 0 : 1,
    x.scope === true ? 0 : 1,
    Math.abs(t.getTime() - (approvalStart(x.a) ?? x.a.windowEnd ?? t).getTime()),
  ];
  const best = covering
    .filter((c) => c.scope !== false)
    .sort((x, y) => {
      const rx = rank(x);
      const ry = rank(y);
      for (let i = 0; i < rx.length; i++) if (rx[i] !== ry[i]) return rx[i] - ry[i];
      return 0;
    })[0]?.a;
  let approved: boolean | null = null;
  if (best) {
    approved = best.approved === true;
    const window = `${approvalStart(best) ? fmt(approvalStart(best)!) : "…"} – ${best.windowEnd ? fmt(best.windowEnd) : "…"}`;
    if (approved)
      reasons.push(`approved by ${best.system} ${best.ticketKey}${best.approver ? ` (approver ${best.approver})` : ""}, window ${window}`);
    else if (best.approved === false)
      reasons.push(`ticket ${best.ticketKey} covers the action but is not approved (state ${best.status ?? "unknown"})`);
    else reasons.push(`ticket ${best.ticketKey} covers the action but records no approval (state ${best.status ?? "unknown"})`);
  } else {
    const near = linked
      .filter((a) => approvalStart(a) || a.windowEnd)
      .map((a) => ({
        a,
        d: Math.min(
          ...[approvalStart(a), a.windowEnd].filter((d): d is Date => d !== null).map((d) => Math.abs(d.getTime() - t.getTime())),
        ),
      }))
      .sort((x, y) => x.d - y.d)[0];
    if (near && near.a.windowEnd && t > near.a.windowEnd)
      reasons.push(
        `no ticket covers the action: ${near.a.ticketKey}'s window ended ${minutes(t.getTime() - near.a.windowEnd.getTime())} min earlier`,
      );
    else if (near && approvalStart(near.a) && t < approvalStart(near.a)!)
      reasons.push(
        `no ticket covers the action: ${near.a.ticketKey}'s window starts ${minutes(approvalStart(near.a)!.getTime() - t.getTime())} min later`,
      );
    else if (grant?.ticketKey && !approvals.some((a) => a.ticketKey.toLowerCase() === grantTicket)) {
      reasons.push(`no approval covers the action (the grant names ticket ${grant.ticketKey}, which is not in the approval feeds)`);
    } else if (covering.length === 0) reasons.push("no approval ticket names the actor for this time");
  }

  // ---- the policy decision at request time
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

  const grantState = inside === null ? "none" : inside ? "inside" : "outside";
  const status: CheckStatus =
    approved === true
      ? grantState === "inside"
        ? "ok"
        : grantState === "outside"
          ? "outside_window"
          : "no_grant"
      : grantState === "inside"
        ? "unapproved"
        : grantState === "outside"
          ? "unapproved_outside_window"
          : "unapproved_no_grant";

  return {
    approvalId: best?.id ?? null,
    approvalRef: best?.ticketKey ?? null,
    approved,
    grantId: grant?.id ?? null,
    insideWindow: inside,
    minutesOutside: minutesOut,
    grantBroader: broader,
    usedPrivilege: classification.privilege,
    policyDecisionId: decision?.id ?? null,
    policyResult: decision?.result ?? null,
    status,
    reasons,
  };
}
