import { describe, expect, it } from "vitest";
import { evidenceFields, keyLabel } from "./evidence-fields";

describe("evidenceFields", () => {
  it("writes a governance finding's evidence in words, not JSON keys", () => {
    const fields = evidenceFields(
      {
        action: "AttachUserPolicy",
        platform: "aws-cloudtrail",
        approved: false,
        checkStatus: "unapproved",
        statuses: ["unapproved", "standing_privilege"],
        rules: [{ rule: "ticket", result: "fail", status: "unapproved", reason: "no ticket names ci-deployer" }],
        identityKind: "service_account",
        resolvedAt: "2026-01-01T00:00:00Z",
      },
      ["resolvedAt"],
    );
    expect(fields).toEqual([
      { key: "action", label: "Action", value: "AttachUserPolicy" },
      { key: "platform", label: "Platform", value: "AWS CloudTrail" },
      { key: "approved", label: "Approved", value: "no" },
      { key: "checkStatus", label: "Governance verdict", value: "Unapproved" },
      { key: "statuses", label: "Failing checks", value: "Unapproved, Standing privilege" },
      { key: "rules", label: "Failed checks", value: "Unapproved: no ticket names ci-deployer" },
      { key: "identityKind", label: "Identity kind", value: "service account" },
    ]);
    for (const f of fields) expect(f.value).not.toMatch(/[{}"]/);
  });

  it("writes unknown keys and nested records as labelled text", () => {
    expect(keyLabel("peak_reads_perHour")).toBe("Peak reads per hour");
    const [f] = evidenceFields({ newThing: { firstSeen: "2026-01-01", count: 1200, platforms: ["okta", "github"] } });
    expect(f).toEqual({ key: "newThing", label: "New thing", value: "First seen: 2026-01-01; Count: 1,200; Platforms: Okta, GitHub" });
    expect(evidenceFields({ owner: null, scopes: [] }).map((x) => x.value)).toEqual(["—", "none"]);
  });
});
