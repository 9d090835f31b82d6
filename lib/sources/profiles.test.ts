import { describe, expect, it } from "vitest";
import { PLATFORM_RULES } from "@/lib/correlation/engine/platform-rules";
import { GRANT_PLATFORM_ALIASES } from "@/lib/governance/privileged-actions";
import { PLATFORM_CAPABILITIES } from "@/lib/coverage/platform-capabilities";
import { PLATFORM_LABELS } from "./labels";
import { approvalFeedIds, grantFeedIds, platformDisplayNames, PROFILES, profileRules, retentionReads, SOURCES } from "./registry";
import { definePlatform } from "./define-platform";

// Each platform's knowledge lives in its profile (lib/sources/<platform>/profile.ts); the registry derives what
// correlation, coverage, governance and the UI read. These tests pin what the derivation gives, as it was when the
// same data sat in those modules as per-platform tables.

describe("platform profiles", () => {
  it("one per registered source, carried by it, with the source's own id and label", () => {
    expect(PROFILES.map((p) => p.platform)).toEqual(SOURCES.map((s) => s.platform));
    for (const s of SOURCES) {
      expect(s.profile.platform).toBe(s.platform);
      expect(s.profile.label).toBe(s.label);
      expect(s.privileged).toBe(s.profile.privileged);
      expect(s.retention).toBe(s.profile.retention);
    }
  });

  it("the client-side label table (lib/sources/labels.ts) equals the profiles' display names", () => {
    expect(PLATFORM_LABELS).toEqual(platformDisplayNames());
  });

  it("give the correlation rules the engine had", () => {
    expect(PLATFORM_RULES.appPatterns.map(([, p]) => p)).toEqual([
      "salesforce",
      "slack",
      "google-workspace",
      "aws-cloudtrail",
      "atlassian",
      "snowflake",
      "github",
      "m365",
    ]);
    // A name that two patterns match goes to the first (Jira for Teams is Atlassian, not Microsoft 365).
    const app = (name: string) => PLATFORM_RULES.appPatterns.find(([re]) => re.test(name))?.[1];
    expect(app("Jira Cloud for Microsoft Teams")).toBe("atlassian");
    expect(app("Slack workspace")).toBe("slack");
    expect([...PLATFORM_RULES.idpSso.keys()].sort()).toEqual(["aws-cloudtrail", "entra", "okta"]);
    expect(PLATFORM_RULES.idpSso.get("aws-cloudtrail")?.target).toBe("aws-cloudtrail");
    expect([...PLATFORM_RULES.tokenKeyTypes]).toEqual(["github.hashed_token", "github.token_id"]);
    expect([...PLATFORM_RULES.tokenCompanionClient.keys()]).toEqual(["github"]);
    expect(Object.fromEntries(PLATFORM_RULES.keylessJoin)).toEqual({
      entra: { rule: "keyless_join:identity+client+network+span", confidence: 0.8, slackMs: 300_000 },
      salesforce: { rule: "keyless_join:identity+client+network+span", confidence: 0.8, slackMs: 300_000 },
      slack: { rule: "keyless_join:identity+client+network+span", confidence: 0.85, slackMs: 300_000 },
    });
    expect(Object.fromEntries(PLATFORM_RULES.sessionLimits)).toEqual({
      "aws-cloudtrail": { maxSpanMs: 12 * 3_600_000, idleGapMs: null },
      snowflake: { maxSpanMs: null, idleGapMs: 4 * 3_600_000 },
      salesforce: { maxSpanMs: null, idleGapMs: 24 * 3_600_000 },
    });
    expect([...PLATFORM_RULES.exchangeCallers.entries()].map(([p, s]) => [p, [...s]])).toEqual([
      ["aws-cloudtrail", ["WebIdentityUser", "SAMLUser"]],
    ]);
    expect([...PLATFORM_RULES.failedLoginNoSession]).toEqual(["snowflake"]);
    expect([...PLATFORM_RULES.flowJoinSameUser]).toEqual(["snowflake"]);
    expect([...PLATFORM_RULES.ciJobEvent.keys()]).toEqual(["github"]);
    expect([...PLATFORM_RULES.federatedSignIn.keys()]).toEqual(["entra"]);
    expect([...PLATFORM_RULES.credentialAlias.keys()]).toEqual(["github"]);
    expect(PLATFORM_RULES).toMatchObject({
      tokenGapMs: 7_200_000,
      sameIpWindowMs: 300_000,
      sameIpMaxSessions: 4,
      oidcWindowMs: 21_600_000,
    });
  });

  it("a platform added with a profile gets its rules without touching the engine", () => {
    const extra = definePlatform({
      platform: "example-idp",
      label: "Example IdP log",
      displayName: "Example IdP",
      privileged: [],
      capabilities: PLATFORM_CAPABILITIES[0],
      correlation: {
        idpSso: { rule: "example_sso", appName: () => null },
        appNames: { pattern: /example/i, rank: 0 },
        keylessJoin: { rule: "keyless_join:identity+client+network+span", confidence: 0.5, slackMs: 1 },
      },
    });
    const rules = profileRules([...PROFILES, extra]);
    expect(rules.idpSso.has("example-idp")).toBe(true);
    expect(rules.appPatterns[0][1]).toBe("example-idp");
    expect(rules.keylessJoin.get("example-idp")?.confidence).toBe(0.5);
  });

  it("give coverage, governance and retention what they had", () => {
    expect(PLATFORM_CAPABILITIES.filter((c) => c.kind === "governance").map((c) => c.platform)).toEqual([
      "servicenow",
      "jira",
      "pam-grants",
      "opa",
    ]);
    expect(GRANT_PLATFORM_ALIASES).toEqual({
      entra: ["entra", "azure", "azuread", "aad", "microsoft", "m365"],
      m365: ["m365", "entra", "azure", "azuread", "aad", "microsoft", "office365", "o365", "exchange", "sharepoint"],
      "google-workspace": ["google-workspace", "google", "gws", "gsuite", "workspace"],
      salesforce: ["salesforce", "sfdc"],
      "aws-cloudtrail": ["aws", "aws-cloudtrail", "amazon", "aws-identity-center"],
      atlassian: ["atlassian", "jira", "confluence"],
      opa: ["opa", "kubernetes", "k8s"],
    });
    expect(grantFeedIds()).toEqual(["pam-grants"]);
    expect(approvalFeedIds()).toEqual(["servicenow", "jira", "pam-grants"]);
    const reads = retentionReads();
    expect(reads.eventName).toEqual(["github"]);
    expect([...reads.shape].sort()).toEqual(["atlassian", "m365", "salesforce"]);
  });
});
