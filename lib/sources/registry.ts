import { awsCloudTrail } from "./aws-cloudtrail";
import { entra } from "./entra";
import { github } from "./github";
import { okta } from "./okta";
import { jira } from "./jira";
import { m365 } from "./m365";
import { atlassian } from "./atlassian";
import { pamGrants } from "./pam-grants";
import { servicenow } from "./servicenow";
import { snowflake } from "./snowflake";
import { opa } from "./opa";
import { salesforce } from "./salesforce";
import { googleWorkspace } from "./google-workspace";
import { slack } from "./slack";
import type { DetectProbe, Source } from "./types";
import { summarizeRetention, type LogTypeRetention, type VendorRetentionSummary } from "./vendor-retention";
import type { PlatformInfo } from "./describe-platforms.types";
import type { IdpSsoRule, PlatformProfile, ProfileRules } from "./define-platform";
import type { PlatformCapability } from "./capabilities";
import type { NormalizedEventJson } from "@/lib/events/schema";

// Every platform source, in the order detection ties are broken. Adding a platform is one line here (its folder
// exports a Source built with defineSource, carrying the platform's profile built with definePlatform). Everything
// the rest of the app knows about particular platforms is derived below from the registered profiles.
export const SOURCES: readonly Source[] = [
  okta,
  entra,
  awsCloudTrail,
  github,
  servicenow,
  jira,
  pamGrants,
  m365,
  atlassian,
  snowflake,
  opa,
  salesforce,
  googleWorkspace,
  slack,
];

/** Minimum detection score: below it a file is "unknown format". */
const DETECT_THRESHOLD = 0.5;

export type { PlatformInfo } from "./describe-platforms.types";
export type Detection = { platform: string; source: Source; score: number };

export function getSource(platform: string): Source | null {
  return SOURCES.find((s) => s.platform === platform) ?? null;
}

/** The best-scoring source for a probed file, if its score reaches the threshold. */
export function detectPlatform(probe: DetectProbe, threshold = DETECT_THRESHOLD): Detection | null {
  let best: Detection | null = null;
  for (const source of SOURCES) {
    const score = source.detect(probe);
    if (score >= threshold && (!best || score > best.score)) best = { platform: source.platform, source, score };
  }
  return best;
}

export function supportedPlatformIds(): string[] {
  return SOURCES.map((s) => s.platform);
}

export function describePlatforms(): PlatformInfo[] {
  return SOURCES.map((s) => ({ id: s.platform, label: s.label, formats: [...s.formats] }));
}

/** One line per platform, for messages: "Okta System Log [okta]: JSON array (…), NDJSON". */
export function supportedPlatforms(): string[] {
  return SOURCES.map((s) => `${s.label} [${s.platform}]: ${s.formats.join(", ")}`);
}

/**
 * The platforms a file that no source recognises resembles most, best first: every source's detection score
 * (0..1) for the probe, the positive ones, at most `n`. Empty when nothing resembles it at all.
 */
export function closestPlatforms(probe: DetectProbe, n = 3): { platform: string; label: string; formats: string[]; score: number }[] {
  return SOURCES.map((s) => ({ platform: s.platform, label: s.label, formats: [...s.formats], score: s.detect(probe) }))
    .filter((c) => c.score > 0)
    .sort((a, b) => b.score - a.score || a.label.localeCompare(b.label))
    .slice(0, n);
}

/** The message for a file no source recognises. */
export function unknownFormatMessage(): string {
  return `unknown format; supported: ${supportedPlatforms().join("; ")}`;
}

/** The vendor's retention per log type for a platform ([] for governance feeds and unknown platforms). */
export function vendorRetention(platform: string): readonly LogTypeRetention[] {
  return getSource(platform)?.retention ?? [];
}

/** A platform's vendor retention as one figure: its shortest-kept log type, named and cited (null without a table). */
export function vendorRetentionSummary(platform: string): VendorRetentionSummary | null {
  return summarizeRetention(vendorRetention(platform));
}

/** The platforms with a vendor retention table: the audit-log platforms. */
export function retentionPlatforms(): { platform: string; label: string }[] {
  return SOURCES.filter((s) => s.retention.length > 0).map((s) => ({ platform: s.platform, label: s.label }));
}

// ---- What the rest of the app reads about particular platforms, derived from the registered profiles ----

/** Every registered platform's profile, in registry order. */
export const PROFILES: readonly PlatformProfile[] = SOURCES.map((s) => s.profile);

/** The short UI names by platform id (the client-side copy is lib/sources/labels.ts; a test keeps the two equal). */
export function platformDisplayNames(): Record<string, string> {
  return Object.fromEntries(PROFILES.map((p) => [p.platform, p.displayName]));
}

/**
 * The coverage data of every platform: the audit-log platforms first, then the governance feeds, each group in
 * registry order (lib/coverage/platform-capabilities.ts reads it).
 */
export function platformCapabilities(): PlatformCapability[] {
  const all = PROFILES.map((p) => ({ platform: p.platform, label: p.label, ...p.capabilities }));
  return [...all.filter((c) => c.kind === "platform"), ...all.filter((c) => c.kind !== "platform")];
}

/** The names a grant feed may write for each platform (lib/governance/privileged-actions.ts grantCoversPlatform). */
export function grantPlatformAliases(): Record<string, readonly string[]> {
  return Object.fromEntries(PROFILES.filter((p) => p.aliases.length > 0).map((p) => [p.platform, p.aliases]));
}

/**
 * The feeds whose records are approvals or grants (a governance feed documenting an approval reference: tickets, the
 * grant feed), not actions on a platform: no JIT requirement or privileged action applies to them.
 */
export function approvalFeedIds(): string[] {
  return PROFILES.filter((p) => p.capabilities.kind === "governance" && p.capabilities.fields.approval_ref.documented !== "no").map(
    (p) => p.platform,
  );
}

/** Platform ids that are grant feeds: a grant naming one names no target platform. */
export function grantFeedIds(): string[] {
  return PROFILES.filter((p) => p.grantFeed).map((p) => p.platform);
}

/** Per platform, the record fields that count the rows an event moved, in the order they are tried (the session headline's volumes). */
export function volumeFields(): { platform: string; field: string; unit: string }[] {
  return PROFILES.flatMap((p) => p.volumeFields.map((v) => ({ platform: p.platform, ...v })));
}

/** The platforms whose retention log types read a stored event's name, and those that read its `extra.shape`. */
export function retentionReads(): { eventName: string[]; shape: string[] } {
  return {
    eventName: PROFILES.filter((p) => p.retentionReads.eventName).map((p) => p.platform),
    shape: PROFILES.filter((p) => p.retentionReads.shape).map((p) => p.platform),
  };
}

/** Builds the per-platform correlation rules from the profiles (lib/correlation/engine/platform-rules.ts adds the constants). */
export function profileRules(profiles: readonly PlatformProfile[] = PROFILES): ProfileRules {
  type Pred = (e: NormalizedEventJson) => boolean;
  const idpSso = new Map<string, IdpSsoRule>();
  const appNames: { pattern: RegExp; rank: number; platform: string }[] = [];
  const tokenKeyTypes = new Set<string>();
  const tokenCompanionClient = new Map<string, Pred>();
  const keylessJoin = new Map<string, { rule: string; confidence: number; slackMs: number }>();
  const sessionLimits = new Map<string, { maxSpanMs: number | null; idleGapMs: number | null }>();
  const exchangeCallers = new Map<string, ReadonlySet<string>>();
  const failedLoginNoSession = new Set<string>();
  const flowJoinSameUser = new Set<string>();
  const ciJobEvent = new Map<string, Pred>();
  const federatedSignIn = new Map<string, Pred>();
  const credentialAlias = new Map<string, (e: NormalizedEventJson) => string | null>();
  for (const { platform: p, correlation: c } of profiles) {
    if (c.idpSso) idpSso.set(p, c.idpSso);
    if (c.appNames) appNames.push({ ...c.appNames, platform: p });
    for (const t of c.tokenKeyTypes ?? []) tokenKeyTypes.add(t);
    if (c.tokenCompanionClient) tokenCompanionClient.set(p, c.tokenCompanionClient);
    if (c.keylessJoin) keylessJoin.set(p, c.keylessJoin);
    if (c.sessionLimits) sessionLimits.set(p, c.sessionLimits);
    if (c.exchangeCallers) exchangeCallers.set(p, new Set(c.exchangeCallers));
    if (c.failedLoginNoSession) failedLoginNoSession.add(p);
    if (c.flowJoinSameUser) flowJoinSameUser.add(p);
    if (c.ciJobEvent) ciJobEvent.set(p, c.ciJobEvent);
    if (c.federatedSignIn) federatedSignIn.set(p, c.federatedSignIn);
    if (c.credentialAlias) credentialAlias.set(p, c.credentialAlias);
  }
  appNames.sort((a, b) => a.rank - b.rank);
  return {
    idpSso,
    appPatterns: appNames.map((a) => [a.pattern, a.platform] as const),
    tokenKeyTypes,
    tokenCompanionClient,
    keylessJoin,
    sessionLimits,
    exchangeCallers,
    failedLoginNoSession,
    flowJoinSameUser,
    ciJobEvent,
    federatedSignIn,
    credentialAlias,
  };
}
