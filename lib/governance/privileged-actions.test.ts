import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { detectPlatform, getSource } from "@/lib/sources/registry";
import { readFileItems, runFile } from "@/lib/sources/testing/samples";
import { classifyPrivilegedAction, PLATFORM_RULES, unflaggedActivities } from "./privileged-actions";

// The catalog against what the sources really emit: every privileged event of every fixture file of every
// platform gets a category from a platform or generic rule, not the fallback; and the category a few known
// events get is the one their meaning implies.

const SOURCES_DIR = path.resolve(process.cwd(), "lib", "sources");
const fixtureFiles = fs
  .readdirSync(SOURCES_DIR)
  .filter((d) => fs.existsSync(path.join(SOURCES_DIR, d, "fixtures")))
  .flatMap((d) => fs.readdirSync(path.join(SOURCES_DIR, d, "fixtures")).map((f) => path.join(SOURCES_DIR, d, "fixtures", f)));

describe("privileged-action catalog over the sources' fixtures", () => {
  it("has rules (or says why not) for every platform with a source", () => {
    const platforms = fs.readdirSync(SOURCES_DIR).filter((d) => getSource(d) !== null);
    expect(platforms.length).toBe(14);
    expect(platforms.filter((p) => !(p in PLATFORM_RULES))).toEqual([]);
  });

  it("classifies every privileged fixture event with a platform or generic rule", async () => {
    const fallbacks: string[] = [];
    const seen = new Map<string, number>();
    for (const file of fixtureFiles) {
      const items = await readFileItems(file);
      const probe = {
        fileName: path.basename(file),
        records: items
          .slice(0, 20)
          .flatMap((it) => ("error" in it ? [] : [it.value !== undefined ? it.value : JSON.parse(it.bytes.toString("utf8"))])),
      };
      const platform = detectPlatform(probe as never)?.platform;
      if (!platform) continue;
      const r = await runFile(getSource(platform)!, file);
      for (const { events } of r.events) {
        for (const e of events) {
          const c = classifyPrivilegedAction({
            platform: e.platform,
            eventName: e.event_name,
            activity: e.activity,
            privileged: e.privileged,
          });
          if (!c) continue;
          seen.set(e.platform, (seen.get(e.platform) ?? 0) + 1);
          if (c.rule.id === "fallback") fallbacks.push(`${e.platform} ${e.event_name} (${e.activity})`);
        }
      }
    }
    expect([...new Set(fallbacks)]).toEqual([]);
    // Privileged events exist in the fixtures of these platforms, so the loop above really ran over them.
    for (const p of [
      "okta",
      "entra",
      "m365",
      "github",
      "slack",
      "salesforce",
      "aws-cloudtrail",
      "snowflake",
      "atlassian",
      "google-workspace",
      "pam-grants",
    ]) {
      expect(seen.get(p) ?? 0, p).toBeGreaterThan(0);
    }
  });

  it("gives every rule that marks unflagged events a SQL-safe pre-filter", () => {
    const extra = unflaggedActivities();
    expect(extra.length).toBeGreaterThan(0);
    for (const x of extra) {
      expect(x.pattern, `${x.platform} ${x.activity}`).not.toBe("");
      // JavaScript-only escapes would mean something else (or nothing) in PostgreSQL's regular expressions.
      expect(x.pattern, `${x.platform} ${x.activity}`).not.toMatch(/\\[bBdDwWsS]|\(\?/);
    }
  });

  it("puts known events in the category their meaning implies", () => {
    const cat = (platform: string, eventName: string, activity: string, privileged = true) =>
      classifyPrivilegedAction({ platform, eventName, activity, privileged })?.category ?? null;
    expect(cat("okta", "user.account.privilege.grant", "assign_privileges")).toBe("admin_role_change");
    expect(cat("okta", "system.api_token.create", "issue_credentials")).toBe("credential_creation");
    expect(cat("okta", "policy.rule.update", "update")).toBe("policy_change");
    expect(cat("entra", "Consent to application", "consent")).toBe("app_consent");
    expect(cat("entra", "Add app role assignment to service principal", "assign_privileges")).toBe("permission_change");
    expect(cat("entra", "Add member to role completed (PIM activation)", "assign_privileges")).toBe("admin_role_change");
    expect(cat("aws-cloudtrail", "CreateAccessKey", "create")).toBe("credential_creation");
    expect(cat("aws-cloudtrail", "PutBucketPolicy", "update")).toBe("policy_change");
    expect(cat("aws-cloudtrail", "ScheduleKeyDeletion", "other", false)).toBe("config_change");
    expect(cat("aws-cloudtrail", "GetObject", "read", false)).toBeNull();
    expect(cat("salesforce", "ReportExport", "export")).toBe("data_export");
    expect(cat("snowflake", "GRANT", "assign_privileges")).toBe("permission_change");
    expect(cat("snowflake", "UNLOAD", "export")).toBe("data_export");
    expect(cat("github", "protected_branch.destroy", "delete")).toBe("policy_change");
    expect(cat("github", "personal_access_token.request_created", "create", false)).toBe("credential_creation");
    expect(cat("slack", "app_installed", "create")).toBe("app_consent");
    expect(cat("slack", "role_change_to_admin", "update")).toBe("admin_role_change");
    expect(cat("google-workspace", "takeout", "export")).toBe("data_export");
    expect(cat("atlassian", "api_token_created", "issue_credentials")).toBe("credential_creation");
    expect(cat("pam-grants", "grant", "assign_privileges")).toBe("admin_role_change");
  });
});
