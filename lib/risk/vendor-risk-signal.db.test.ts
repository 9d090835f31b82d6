import { beforeAll, describe, expect, it } from "vitest";
import { system } from "@/lib/context/request-context";
import { pool } from "@/lib/db";
import { runCorrelation } from "@/lib/correlation/run-correlation";
import { ingestFixture, seedUser } from "@/test/factories";
import { dismissFinding } from "./dismiss-finding";
import { getFinding } from "./get-finding";
import { runRiskRules, type RiskRunCounts } from "./run-risk-rules";
import { dismissFindingInput } from "./types";

// The vendors' own risk verdicts, from the fixtures written from their documentation (lib/sources/<platform>/fixtures/
// risk-signals*, README beside them) through ingest, correlation and the rules: each yields the finding with the
// vendor's reason and the severity its source maps, one per session (or event) and signal, and a dismissed one stays
// dismissed when the rules run again.
const FIXTURES = [
  ["okta", "risk-signals.json"],
  ["entra", "risk-signals-signins.json"],
  ["google-workspace", "risk-signals-login.json"],
  ["snowflake", "risk-signals-login_history.csv"],
  ["slack", "risk-signals-anomaly.json"],
  ["github", "risk-signals-audit-log.jsonl"],
] as const;

type Row = { title: string; severity: string; events: number; signal: string; reasons: string[]; sessionId: string | null };

let first: RiskRunCounts;
const vendorFindings = async () =>
  (
    await pool().query<Row>(
      `SELECT title, severity, cardinality("eventIds") AS events, evidence->>'signal' AS signal,
              ARRAY(SELECT jsonb_array_elements_text(evidence::jsonb->'reasons')) AS reasons, "sessionId"
         FROM finding WHERE "ruleId" = 'vendor-risk-signal' ORDER BY evidence->>'signal', title`,
    )
  ).rows;

beforeAll(async () => {
  for (const [platform, file] of FIXTURES) await ingestFixture(platform, file);
  await runCorrelation({ ctx: system() });
  first = await runRiskRules({ ctx: system() });
});

describe("vendor-risk-signal over the vendors' documented risk records", () => {
  it("raises one finding per session and signal, titled with the vendor's reason, severity from the vendor's level", async () => {
    const rows = await vendorFindings();
    expect(first.byRule["vendor-risk-signal"]).toBe(rows.length);
    expect(rows.map(({ title, severity, events, signal }) => ({ signal, severity, events, title }))).toEqual([
      {
        signal: "entra.sign_in_risk",
        severity: "high",
        events: 1,
        title: "Entra sign-in risk (high, atRisk) for Nina Berg: anonymizedIPAddress, unfamiliarFeatures",
      },
      {
        signal: "entra.sign_in_risk",
        severity: "critical",
        events: 1,
        title: "Entra sign-in risk (medium, confirmedCompromised) for Piotr Nowak: adminConfirmedUserCompromised, leakedCredentials",
      },
      {
        signal: "github.push_protection_bypass",
        severity: "high",
        events: 1,
        title: "GitHub push protection bypassed for a secret (bypass) for dev-dana: GitHub Personal Access Token, used_in_tests",
      },
      {
        signal: "github.secret_scanning_alert",
        severity: "high",
        events: 1,
        title: "GitHub secret scanning alert (create) for github: Amazon AWS Access Key ID, alert #12",
      },
      {
        signal: "google.account_disabled_hijacked",
        severity: "critical",
        events: 1,
        title: "Google disabled a hijacked account for Piotr Nowak: account_disabled_hijacked",
      },
      {
        signal: "google.gov_attack_warning",
        severity: "high",
        events: 1,
        title: "Google government-backed attack warning for Omar Haddad: gov_attack_warning",
      },
      {
        signal: "google.is_suspicious",
        severity: "medium",
        events: 1,
        title: "Google flagged a login as suspicious for Nina Berg: is_suspicious",
      },
      {
        signal: "google.suspicious_login",
        severity: "medium",
        events: 1,
        title: "Google suspicious login for Nina Berg: suspicious_login",
      },
      { signal: "okta.behavior", severity: "low", events: 1, title: "Okta behavior detection for Omar Haddad: New Device" },
      {
        // The sign-on policy evaluation and the sign-in it led to are one Okta session: one finding with both events.
        signal: "okta.risk",
        severity: "high",
        events: 2,
        title: "Okta risk (HIGH) for Nina Berg: Anomalous Device, Anomalous Geo-Distance, New City, New Country, New Device, … (2 events)",
      },
      { signal: "okta.threat", severity: "medium", events: 1, title: "Okta threat detection for unknown: Password Spray" },
      { signal: "slack.anomaly", severity: "medium", events: 1, title: "Slack anomaly for Nina Berg: asn, ip_address" },
      { signal: "slack.anomaly", severity: "medium", events: 1, title: "Slack anomaly for Piotr Nowak: tor, unexpected_user_agent" },
      {
        signal: "snowflake.blocked_login",
        severity: "medium",
        events: 1,
        title: expect.stringMatching(
          /^Snowflake login blocked by a network policy \(390422\) for ETL_LOADER: Incoming request with IP\/Token 203\.0\.113\.252 is not allowed/,
        ),
      },
    ]);
    // The Okta risk finding names its session; the full list of reasons is in the evidence.
    const okta = rows.find((r) => r.signal === "okta.risk")!;
    expect(okta.sessionId).not.toBeNull();
    expect(okta.reasons).toEqual([
      "Anomalous Device",
      "Anomalous Geo-Distance",
      "New City",
      "New Country",
      "New Device",
      "New Geo-Location",
      "New IP",
      "New State",
      "Velocity",
    ]);
  });

  it("is idempotent: a re-run changes nothing, and a dismissed finding stays dismissed", async () => {
    const { id } = (
      await pool().query<{ id: string }>(
        `SELECT id FROM finding WHERE "ruleId" = 'vendor-risk-signal' AND evidence->>'signal' = 'slack.anomaly' LIMIT 1`,
      )
    ).rows[0];
    const user = await seedUser("analyst");
    await dismissFinding({
      id,
      input: dismissFindingInput.parse({ type: "false_positive", reason: "Travelling; confirmed with the user by phone" }),
      ctx: user.ctx,
    });
    const before = await vendorFindings();
    const again = await runRiskRules({ ctx: system() });
    expect(again.byRule["vendor-risk-signal"]).toBe(before.length);
    expect(again).toMatchObject({ raised: 0, resolved: 0 });
    expect(await vendorFindings()).toEqual(before);
    const got = await getFinding({ id });
    expect(got?.status).toBe("dismissed");
    expect(got?.history.map((h) => h.action)).toEqual(["raised", "dismissed"]);
  });
});
