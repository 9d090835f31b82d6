import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { detectPlatform, getSource } from "@/lib/sources/registry";
import { readFileItems, runFile } from "@/lib/sources/testing/samples";
import { SOURCES } from "@/lib/sources/registry";
import { okta } from "@/lib/sources/okta";
import { classifyPrivilegedAction, unflaggedActivities } from "./privileged-actions";

// The catalog (lib/sources/<platform>/privileged.ts, read through the registry) against what the sources really
// emit: every privileged event of every fixture file of every platform gets a category from a platform or generic
// entry, not the fallback; every entry cites its vendor page; the events the issue names are (or are not)
// privileged; and the category a few known events get is the one their meaning implies.

const SOURCES_DIR = path.resolve(process.cwd(), "lib", "sources");
const fixtureFiles = fs
  .readdirSync(SOURCES_DIR)
  .filter((d) => fs.existsSync(path.join(SOURCES_DIR, d, "fixtures")))
  .flatMap((d) => fs.readdirSync(path.join(SOURCES_DIR, d, "fixtures")).map((f) => path.join(SOURCES_DIR, d, "fixtures", f)));

describe("privileged-action catalog over the sources' fixtures", () => {
  it("keeps each platform's entries in its own folder, exported with the source, each citing a vendor page", () => {
    const platforms = fs.readdirSync(SOURCES_DIR).filter((d) => getSource(d) !== null);
    expect(platforms.length).toBe(14);
    for (const p of platforms) {
      const entries = getSource(p)!.privileged;
      // Approval feeds have none: a ticket is never itself a privileged action.
      if (p === "servicenow" || p === "jira") expect(entries, p).toEqual([]);
      else expect(fs.existsSync(path.join(SOURCES_DIR, p, "privileged.ts")), p).toBe(true);
      for (const e of entries) {
        const doc = e.doc;
        // A vendor's page, or for the project's own grant format its document in this repository.
        if (!/^https:\/\/[a-z0-9.-]+\.[a-z]{2,}\//.test(doc))
          expect(fs.existsSync(path.resolve(process.cwd(), doc)), `${e.id}: ${doc}`).toBe(true);
        expect(
          e.id.startsWith(p === "aws-cloudtrail" ? "aws." : p === "google-workspace" ? "gws." : p === "pam-grants" ? "pam." : `${p}.`),
          e.id,
        ).toBe(true);
      }
    }
    const ids = SOURCES.flatMap((s) => s.privileged.map((e) => e.id));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("Okta's own flag is the catalog's: token issuance and rate-limit notices are not privileged, impersonation is", () => {
    const flag = (eventType: string) =>
      okta.normalize(
        {
          uuid: `u-${eventType}`,
          published: "2026-11-20T10:00:00.000Z",
          eventType,
          actor: { id: "00u1", type: "User", alternateId: "admin@example.com", displayName: "Admin" },
          outcome: { result: "SUCCESS" },
          target: [],
        },
        { fileName: "okta.json", position: 0 },
      )[0].privileged;
    for (const t of [
      "system.org.rate_limit.warning",
      "system.org.rate_limit.violation",
      "system.client.rate_limit.violation",
      "app.oauth2.as.token.grant.access_token",
      "app.oauth2.as.authorize.code",
    ]) {
      expect(flag(t), t).toBe(false);
      expect(classifyPrivilegedAction({ platform: "okta", eventName: t, activity: "other", privileged: true }), t).toBeNull();
    }
    for (const t of [
      "user.session.impersonation.grant",
      "user.account.privilege.grant",
      "system.api_token.create",
      "policy.rule.update",
      "system.org.update",
    ])
      expect(flag(t), t).toBe(true);
  });

  it("classifies the privileged actions the platform profiles name", () => {
    const cls = (platform: string, eventName: string, activity: string, privileged: boolean, targetName: string | null = null) =>
      classifyPrivilegedAction({ platform, eventName, activity, privileged, targetName });
    // Impersonation.
    expect(cls("okta", "user.session.impersonation.grant", "assign_privileges", true)?.rule.id).toBe("okta.impersonation");
    expect(cls("salesforce", "suOrgAdminLogin", "impersonate", true)?.rule.id).toBe("salesforce.login-as");
    // Admin-group membership: a group named as an administrators' group, not any group.
    expect(cls("okta", "group.user_membership.add", "add_user", false, "Okta Super Admins")?.category).toBe("admin_role_change");
    expect(cls("okta", "group.user_membership.add", "add_user", false, "Marketing")).toBeNull();
    expect(cls("entra", "Add member to group", "add_user", false, "Global Admins")?.rule.id).toBe("entra.admin-group-membership");
    expect(cls("google-workspace", "ADD_GROUP_MEMBER", "add_user", true, "gcp-organization-admins")?.rule.id).toBe(
      "gws.admin-group-membership",
    );
    expect(cls("aws-cloudtrail", "AddUserToGroup", "add_user", true)?.rule.id).toBe("aws.iam-role");
    // Domain-wide delegation and app-owner additions.
    expect(cls("google-workspace", "AUTHORIZE_API_CLIENT_ACCESS", "update", true)).toMatchObject({ category: "app_consent", level: 3 });
    expect(cls("entra", "Add owner to application", "update", true)?.rule.id).toBe("entra.app-owner");
    expect(cls("m365", "Add owner to service principal.", "update", true)?.rule.id).toBe("m365.app-owner");
    // Audit and logging disablement.
    for (const [name, id] of [
      ["StopConfigurationRecorder", "aws.config-recorder"],
      ["DeleteDetector", "aws.guardduty"],
      ["PutBucketLogging", "aws.bucket-logging"],
      ["StopLogging", "aws.cloudtrail"],
    ])
      expect(cls("aws-cloudtrail", name, "update", true)?.rule.id, name).toBe(id);
    expect(cls("m365", "Set-MailboxAuditBypassAssociation", "update", true)?.rule.id).toBe("m365.audit-bypass");
    expect(cls("m365", "Set-AdminAuditLogConfig", "update", true)?.rule.id).toBe("m365.admin-audit-config");
    // GitHub: the source does not flag these; the catalog marks them.
    expect(cls("github", "audit_log_streaming.destroy", "delete", false)?.rule.id).toBe("github.audit-log-streaming");
    expect(cls("github", "repository_vulnerability_alerts.disable", "update", false)?.rule.id).toBe("github.vulnerability-alerts-off");
    expect(cls("github", "workflows.delete_workflow_run", "delete", false)?.rule.id).toBe("github.workflow-run-deletion");
    expect(cls("github", "user.promote", "other", false)).toMatchObject({ category: "admin_role_change", level: 3 });
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
    expect(cat("aws-cloudtrail", "PutBucketLogging", "update")).toBe("config_change");
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
