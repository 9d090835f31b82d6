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

// Every platform source, in the order detection ties are broken. Adding a platform is one line here (its folder
// exports a Source built with defineSource).
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
