import type { NormalizedEventJson } from "@/lib/events/schema";

// What the engine knows about particular platforms, as data behind a small interface, apart from the generic
// rules that use it: which platforms are identity providers and which of their events is a single sign-on into
// an app, which platform an app's name stands for, and which session keys name a long-lived token rather than
// one session. The engine reads it only through PlatformRules (CorrelationState.rules), so these entries can
// move into each platform's own profile without touching the phases.

/** An identity provider's single sign-on events: the ones that sign the person into an app. */
type IdpSsoRule = {
  /** The rule named on an idp_to_app link made from such an event. */
  rule: string;
  /** The app a successful event of this IdP signed the person into; null when it is not such an event. */
  appName: (e: NormalizedEventJson) => string | null;
};

export type PlatformRules = {
  /** Identity providers by platform, with how their single sign-on events are recognised. */
  idpSso: ReadonlyMap<string, IdpSsoRule>;
  /** Which platform an application name stands for: the first pattern that matches. */
  appPatterns: readonly (readonly [RegExp, string])[];
  /** Session key types that name a token, which outlives any one session: split where activity pauses longer than tokenGapMs. */
  tokenKeyTypes: ReadonlySet<string>;
  tokenGapMs: number;
};

const TOKEN_GAP_MS = 2 * 60 * 60_000;

export const PLATFORM_RULES: PlatformRules = {
  idpSso: new Map<string, IdpSsoRule>([
    [
      "okta",
      {
        rule: "okta_sso_event",
        appName: (e) =>
          e.event_name === "user.authentication.sso"
            ? (e.resources.find((r) => r.type === "AppInstance")?.name ?? e.resources[0]?.name ?? null)
            : null,
      },
    ],
    ["entra", { rule: "entra_signin_to_app", appName: (e) => (e.class_uid === 3002 && e.client?.app_name ? e.client.app_name : null) }],
  ]),
  appPatterns: [
    [/salesforce/i, "salesforce"],
    [/slack/i, "slack"],
    [/google|g suite|gsuite|workspace/i, "google-workspace"],
    [/amazon web services|\baws\b|iam identity center/i, "aws-cloudtrail"],
    [/atlassian|jira|confluence/i, "atlassian"],
    [/snowflake/i, "snowflake"],
    [/github/i, "github"],
    [/office 365|microsoft 365|exchange|sharepoint|onedrive|teams/i, "m365"],
  ],
  tokenKeyTypes: new Set(["github.hashed_token", "github.token_id"]),
  tokenGapMs: TOKEN_GAP_MS,
};

/** Which platform an IdP's application name stands for. */
export function appPlatform(appName: string | null, rules: PlatformRules = PLATFORM_RULES): string | null {
  if (!appName) return null;
  for (const [re, p] of rules.appPatterns) if (re.test(appName)) return p;
  return null;
}
