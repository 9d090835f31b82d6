import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { supportedPlatformIds } from "@/lib/sources/registry";
import { PLATFORM_CAPABILITIES } from "./platform-capabilities";
import { EVIDENCE_FIELDS } from "./types";

// The capability data must describe every registered platform and every evidence field, and agree with the
// reference notes it was transcribed from (when that folder is present; the app never reads it at runtime).
const REFERENCE = path.resolve(import.meta.dirname, "../../../shared/reference/saas-log-fields.md");

// Reference matrix row -> the platform ids whose capability must match it exactly.
const ROWS: Record<string, string[]> = {
  Okta: ["okta"],
  "Google Workspace": ["google-workspace"],
  GitHub: ["github"],
  Slack: ["slack"],
  Salesforce: ["salesforce"],
  // The M365 UAL differs from Entra sign-ins in the row's own caveats ("UAL ... p", "3rd-party only"), so
  // only Entra is held to the combined row.
  "Entra / M365 UAL": ["entra"],
  "AWS CloudTrail": ["aws-cloudtrail"],
  Snowflake: ["snowflake"],
  "Jira / Atlassian": ["atlassian"],
  "ServiceNow change_request": ["servicenow"],
};
const MARK = { P: "yes", p: "partial", "–": "no" } as const;

describe("platform capabilities", () => {
  it("cover every registered platform and all nine evidence fields", () => {
    expect(PLATFORM_CAPABILITIES.map((c) => c.platform).sort()).toEqual([...supportedPlatformIds()].sort());
    for (const c of PLATFORM_CAPABILITIES) {
      expect(Object.keys(c.fields).sort()).toEqual([...EVIDENCE_FIELDS].sort());
      for (const f of EVIDENCE_FIELDS) {
        const cap = c.fields[f];
        // A field the platform provides names the vendor field.
        if (cap.documented !== "no")
          expect({ platform: c.platform, f, vendorField: cap.vendorField }).not.toMatchObject({ vendorField: null });
      }
      // Vendor retention is not stated here: its one home is lib/sources/<platform>/retention.ts.
      expect(c).not.toHaveProperty("retention");
    }
  });

  it.skipIf(!fs.existsSync(REFERENCE))("agree with the reference matrix in shared/reference/saas-log-fields.md", () => {
    const text = fs.readFileSync(REFERENCE, "utf8");
    const lines = text.split("\n").filter((l) => l.startsWith("| ") && !l.startsWith("| Platform") && !l.startsWith("|---"));
    const seen = new Set<string>();
    for (const line of lines) {
      const cells = line
        .split("|")
        .slice(1, -1)
        .map((c) => c.trim());
      const ids = ROWS[cells[0]];
      if (!ids) continue;
      seen.add(cells[0]);
      for (const id of ids) {
        const cap = PLATFORM_CAPABILITIES.find((c) => c.platform === id)!;
        EVIDENCE_FIELDS.forEach((f, i) => {
          const mark = cells[1 + i].split(" ")[0] as keyof typeof MARK;
          expect({ id, f, documented: cap.fields[f].documented }).toEqual({ id, f, documented: MARK[mark] });
        });
        // Retention is not compared here: lib/sources/<platform>/retention.ts cites the vendor pages themselves.
      }
    }
    expect([...seen].sort()).toEqual(Object.keys(ROWS).sort());
  });
});

if (!fs.existsSync(REFERENCE)) console.warn(`[coverage] ${REFERENCE} is absent: skipping the comparison with the reference matrix.`);
