import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { normalizeRecord } from "../normalize-record";
import { probeFile } from "../read";
import { detectPlatform } from "../registry";
import { entra } from "../entra";
import { m365 } from "../m365";
import { NormalizeError } from "../types";
import { runFile } from "../testing/samples";
import { tryParseUsTime } from "./time";

// Entra ID and Microsoft 365 tables exported from Log Analytics / Microsoft Sentinel (the conformance corpus holds the
// same records in the Event Hub / Graph / Management API shapes and in these: lib/sources/entra/conformance,
// lib/sources/m365/conformance). Column names per https://learn.microsoft.com/azure/azure-monitor/reference/tables/.
const ENTRA = path.join(__dirname, "../entra/conformance");
const M365 = path.join(__dirname, "../m365/conformance");
const ctx = { fileName: "query_data.csv", position: 0 };

const detect = (dir: string, file: string, as = file) => detectPlatform(probeFile(fs.readFileSync(path.join(dir, file)), as))?.platform;

describe("Log Analytics / Sentinel exports of Entra ID and Microsoft 365 tables", () => {
  it("are detected automatically, as JSON, NDJSON and the portal's CSV, renamed too", () => {
    for (const f of [
      "records.4-signins-log-analytics.json",
      "records.5-signins-log-analytics.csv",
      "records.6-auditlogs-log-analytics.csv",
    ]) {
      expect(detect(ENTRA, f), f).toBe("entra");
    }
    expect(detect(ENTRA, "records.7-auditlogs-log-analytics.ndjson", "query_data.json")).toBe("entra");
    expect(detect(M365, "records.2-officeactivity-log-analytics.json", "query_data.json")).toBe("m365");
    expect(detect(M365, "records.3-officeactivity-log-analytics.csv", "query_data.csv")).toBe("m365");
  });

  it("give the same events as the Azure Monitor / Graph / Management API shapes of the same records", async () => {
    const pairs: [typeof entra, string, string][] = [
      [entra, path.join(ENTRA, "records.2-signins-eventhub.json"), path.join(ENTRA, "records.5-signins-log-analytics.csv")],
      [entra, path.join(ENTRA, "records.2-signins-eventhub.json"), path.join(ENTRA, "records.4-signins-log-analytics.json")],
      [entra, path.join(ENTRA, "records.1-directoryaudits-graph.json"), path.join(ENTRA, "records.6-auditlogs-log-analytics.csv")],
      [m365, path.join(M365, "records.json"), path.join(M365, "records.3-officeactivity-log-analytics.csv")],
    ];
    for (const [source, native, la] of pairs) {
      const a = await runFile(source, native);
      const b = await runFile(source, la);
      expect(b.rejected.size, la).toBe(0);
      expect(b.total).toBe(a.total);
      for (let i = 0; i < a.total; i++) {
        const [x] = a.events[i].events;
        const [y] = b.events[i].events;
        const core = (e: typeof x) => ({
          time: e.time,
          actor: e.actor,
          session: e.session,
          credential: e.credential,
          issued: e.issued_credentials,
          auth: e.auth,
          ip: e.src_endpoint.ip,
          activity: e.activity,
          status: e.status,
          resources: e.resources,
          privileged: e.privileged,
          native_id: e.native_id,
        });
        expect(core(y), `${la} #${i}`).toEqual(core(x));
      }
      expect(b.events[0].events[0].extra.shape).toBe("log-analytics");
    }
  });

  it("reads the portal's US-style times as UTC; a refusal names the column really read", () => {
    const row = {
      "TimeGenerated [UTC]": "1/9/2007, 9:41:00.250 PM",
      Type: "SigninLogs",
      Category: "SignInLogs",
      Id: "e3a7c5b1-0001-4d2e-9f10-3b5c7d9e1f99",
      UserPrincipalName: "alice@example.com",
      UserId: "4a1b2c3d-0001-4e5f-8a9b-0c1d2e3f4a01",
      AppId: "c44b4083-3bb0-49c1-b47d-974e53cbdf3c",
      ResultType: "0",
      IPAddress: "198.51.100.10",
      Status: '{"errorCode":0}',
    };
    expect(entra.normalize(row, ctx)[0].time.toISOString()).toBe("2007-01-09T21:41:00.250Z");
    expect(() => entra.normalize({ ...row, "TimeGenerated [UTC]": "13/9/2007, 9:41:00 PM" }, ctx)).toThrow(
      'unreadable event time in TimeGenerated [UTC]: "13/9/2007, 9:41:00 PM"',
    );
    expect(() => entra.normalize({ ...row, "CreatedDateTime [UTC]": "31/1/2007 21:41" }, ctx)).toThrow(
      'unreadable event time in CreatedDateTime [UTC]: "31/1/2007 21:41"',
    );
    // A column the portal wrote in the viewer's local time has no offset: refused with what to do.
    const { "TimeGenerated [UTC]": t, ...rest } = row;
    expect(() => entra.normalize({ ...rest, "TimeGenerated [Local Time]": t }, ctx)).toThrow(
      /written in Local Time.*export the times in UTC/,
    );
    // An Azure Monitor diagnostic record (storage / Event Hub) whose time is US-style: the reason names `time`, the field read.
    const monitor = {
      time: "1/9/2007 9:41:00 AM",
      category: "AuditLogs",
      operationName: "Add user",
      properties: { activityDisplayName: "Add user" },
    };
    expect(entra.normalize(monitor, ctx)[0].time.toISOString()).toBe("2007-01-09T09:41:00.000Z");
    expect(() => entra.normalize({ ...monitor, time: "Jan 9 2007" }, ctx)).toThrow('unreadable event time in time: "Jan 9 2007"');
    expect(() =>
      m365.normalize({ TimeGenerated: "2/30/2026, 1:00:00 AM", Type: "OfficeActivity", Operation: "FileAccessed" }, ctx),
    ).toThrow('unreadable event time in TimeGenerated: "2/30/2026, 1:00:00 AM"');
  });

  it("US-style times: month first, 12-hour clock only", () => {
    expect(tryParseUsTime("12/7/2026, 5:09:40.123 PM")?.toISOString()).toBe("2026-12-07T17:09:40.123Z");
    expect(tryParseUsTime("1/1/2026 12:00:00 AM")?.toISOString()).toBe("2026-01-01T00:00:00.000Z");
    expect(tryParseUsTime("1/1/2026 12:30 PM")?.toISOString()).toBe("2026-01-01T12:30:00.000Z");
    for (const s of ["1/9/2007 21:41:00", "13/1/2026 1:00 PM", "1/1/2026 13:00 PM", "1/1/2026 0:10 AM", "2026-01-01"])
      expect(tryParseUsTime(s), s).toBeNull();
  });

  it("a row of the other product's table goes to its source", () => {
    const office = {
      TimeGenerated: "2026-12-01T10:00:00Z",
      Type: "OfficeActivity",
      Operation: "FileAccessed",
      OfficeWorkload: "SharePoint",
      UserId: "a@x.com",
    };
    const events = normalizeRecord(entra, office, ctx);
    expect(events[0].platform).toBe("m365");
    expect(() => entra.normalize(office, ctx)).toThrow(NormalizeError);
    const signin = {
      TimeGenerated: "2026-12-01T10:00:00Z",
      Type: "AADNonInteractiveUserSignInLogs",
      Category: "NonInteractiveUserSignInLogs",
      UserPrincipalName: "a@x.com",
      ResultType: "0",
    };
    expect(normalizeRecord(m365, signin, ctx)[0].platform).toBe("entra");
    // Another Log Analytics table is neither's.
    expect(
      detectPlatform({
        fileName: "q.csv",
        container: "csv",
        envelopeKey: null,
        records: [{ TimeGenerated: "x", Type: "SecurityEvent", EventID: "4624" }],
      }),
    ).toBeNull();
  });
});
