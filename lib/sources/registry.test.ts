import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cloudtrail, entra, github, okta } from "../../scripts/bench/synthetic";
import { probeFile } from "./read";
import { describePlatforms, detectPlatform, getSource, supportedPlatformIds, supportedPlatforms, unknownFormatMessage } from "./registry";
import { describeSamples, samplePath } from "./testing/samples";

const HEAD = 256 * 1024;
const probe = (file: string) => probeFile(fs.readFileSync(file).subarray(0, HEAD), path.basename(file));
const probeText = (text: string, fileName: string) => probeFile(Buffer.from(text), fileName);

describe("registry", () => {
  it("lists the platforms and their formats for messages and the upload page", () => {
    expect(supportedPlatformIds().slice(0, 4)).toEqual(["okta", "entra", "aws-cloudtrail", "github"]);
    expect([...supportedPlatformIds()].sort()).toEqual(
      [
        "okta",
        "entra",
        "m365",
        "google-workspace",
        "github",
        "slack",
        "salesforce",
        "aws-cloudtrail",
        "snowflake",
        "atlassian",
        "servicenow",
        "jira",
        "pam-grants",
        "opa",
      ].sort(),
    );
    expect(
      describePlatforms()
        .map((p) => p.label)
        .slice(0, 4),
    ).toEqual(["Okta System Log", "Microsoft Entra ID", "AWS CloudTrail", "GitHub audit log"]);
    expect(getSource("github")?.label).toBe("GitHub audit log");
    expect(getSource("salesforce")?.label).toBe("Salesforce");
    expect(supportedPlatforms()[0]).toMatch(/^Okta System Log \[okta\]: JSON array/);
    expect(unknownFormatMessage()).toMatch(
      /^unknown format; supported: Okta System Log \[okta\].*; Microsoft Entra ID \[entra\].*; AWS CloudTrail \[aws-cloudtrail\].*; GitHub audit log \[github\]/,
    );
  });

  it("detects each platform from its own fixtures and export shapes, whatever the file is called", () => {
    const cases: [string, string][] = [
      ["okta/fixtures/okta-system-log-page.json", "okta"],
      ["okta/fixtures/okta-system-log.ndjson", "okta"],
      ["entra/fixtures/graph-signins-page.json", "entra"],
      ["entra/fixtures/graph-directory-audits-page.json", "entra"],
      ["entra/fixtures/azure-monitor-signinlogs.json", "entra"],
      ["entra/fixtures/azure-monitor-auditlogs.ndjson", "entra"],
      ["aws-cloudtrail/fixtures/111122223333_CloudTrail_eu-west-1_20250304T1315Z_AbCdEfGh12345678.json.gz", "aws-cloudtrail"],
      ["aws-cloudtrail/fixtures/lookup-events.json", "aws-cloudtrail"],
      ["github/fixtures/audit-log-stream.jsonl", "github"],
      ["github/fixtures/rest-audit-log-page.json", "github"],
    ];
    for (const [file, platform] of cases) {
      const p = probe(path.resolve(process.cwd(), "lib/sources", file));
      expect(detectPlatform(p)?.platform, file).toBe(platform);
      expect(detectPlatform({ ...p, fileName: "upload.bin" })?.platform, `${file} renamed`).toBe(platform);
    }
    const synthetic: [string, unknown[], string][] = [
      ["okta", [okta(1), okta(2)], "x.json"],
      ["entra", [entra(1)], "x.json"],
      ["aws-cloudtrail", [cloudtrail(1)], "x.json"],
      ["github", [github(1)], "x.json"],
    ];
    for (const [platform, recs, name] of synthetic) {
      expect(detectPlatform(probeText(JSON.stringify(recs), name))?.platform).toBe(platform);
      expect(detectPlatform(probeText(recs.map((r) => JSON.stringify(r)).join("\n"), name))?.platform).toBe(platform);
    }
    expect(detectPlatform(probeText(JSON.stringify({ value: [entra(1), entra(2)] }), "signins.json"))?.platform).toBe("entra");
  });

  it("refuses what no source knows", () => {
    expect(detectPlatform(probeText("hello,world\n1,2\n", "mystery.csv"))).toBeNull();
    expect(detectPlatform(probeText('[{"foo": 1}, {"bar": 2}]', "okta.json"))).toBeNull();
    expect(detectPlatform(probeText("", "github.jsonl"))).toBeNull();
    // A Microsoft 365 Unified Audit Log export is not Entra ID: the m365 source takes it.
    expect(detectPlatform(probe(path.resolve(process.cwd(), "lib/sources/entra/fixtures/m365-unified-audit-log.json")))?.platform).toBe(
      "m365",
    );
  });
});

describeSamples("registry on the public samples", () => {
  it("detects the sample files of the four platforms and leaves the others alone", () => {
    const expected: Record<string, string | null> = {
      "okta/okta_openapi_ListLogs_example.json": "okta",
      "okta/panther_rule_tests_okta.jsonl": "okta",
      "entra_m365/panther_rule_tests_entra_m365.jsonl": "entra",
      "aws_cloudtrail/panther_rule_tests_aws_cloudtrail.jsonl": "aws-cloudtrail",
      "aws_cloudtrail/panther_threat_research_trail_subset.jsonl": "aws-cloudtrail",
      "github/panther_rule_tests_github.jsonl": "github",
      "scenarios/panther_scenario__compromised-root-creds__attacker_okta.jsonl": "okta",
      "scenarios/panther_scenario__compromised-root-creds__victim_okta.jsonl": "okta",
      "scenarios/panther_scenario__compromised-root-creds__attacker_cloudtrail.jsonl": "aws-cloudtrail",
      "scenarios/panther_scenario__compromised-root-creds__victim_cloudtrail.jsonl": "aws-cloudtrail",
      "scenarios/panther_scenario__enrichment-example__attacker_cloudtrail.jsonl": "aws-cloudtrail",
      "scenarios/panther_scenario__enrichment-example__victim_cloudtrail.jsonl": "aws-cloudtrail",
      "scenarios/panther_scenario__okta-add-administrator__legit_login.jsonl": "okta",
      "scenarios/panther_scenario__okta-add-administrator__brute_force_logins.jsonl": "okta",
      "scenarios/panther_scenario__okta-add-administrator__new-user.jsonl": "okta",
      "scenarios/panther_scenario__okta-add-administrator__admin_privs_assigned.jsonl": "okta",
      // Not one of these four platforms: S3 server access log, VPC flow log, Google Workspace, Slack, …
      "scenarios/panther_scenario__compromised-root-creds__attacker_s3_access.log": null,
      "scenarios/panther_scenario__compromised-root-creds__attacker_vpc.log": null,
      "scenarios/panther_scenario__gsuite-sensitive-files__shared_files.jsonl": "google-workspace",
      "google_workspace/panther_rule_tests_google_workspace.jsonl": "google-workspace",
      "slack/panther_rule_tests_slack.jsonl": "slack",
      "salesforce/panther_rule_tests_salesforce.jsonl": "salesforce",
      "snowflake/panther_rule_tests_snowflake.jsonl": "snowflake",
      "ticketing/panther_rule_tests_ticketing.jsonl": null, // Zendesk audit: not ServiceNow or Jira
    };
    const lines: string[] = [];
    for (const [file, platform] of Object.entries(expected)) {
      const full = samplePath(file);
      if (!fs.existsSync(full)) continue;
      const p = probe(full);
      const d = detectPlatform(p);
      lines.push(`  ${file}: ${p.container} -> ${d ? `${d.platform} (${d.score.toFixed(2)})` : "unknown format"}`);
      expect(d?.platform ?? null, file).toBe(platform);
    }
    console.log(`detection on the public samples:\n${lines.join("\n")}`);
  });
});
