import { describe, expect, it } from "vitest";
import { compactCount, gapText, sessionHeadline, userAgentName, type HeadlineFacts } from "./session-headline";

const base: HeadlineFacts = {
  actor: null,
  actorIsId: false,
  eventCount: 0,
  actions: [],
  volumes: [],
  objectsChanged: [],
  client: null,
  userAgent: null,
  srcIp: null,
  newNetwork: null,
  previous: null,
  startedAt: "2026-03-04T12:00:00.000Z",
  privileged: [],
};

describe("sessionHeadline", () => {
  it("Salesforce: rows from ROWS_PROCESSED, object names, a new network, the client and the gap since the last call", () => {
    const h = sessionHeadline({
      ...base,
      actor: "Reports Integration",
      eventCount: 3,
      actions: [{ name: "API", count: 3 }],
      volumes: [{ activity: "export", rows: 750_003, events: 3, unit: "queries", objects: ["Contact"] }],
      client: "AcmeReportsSync",
      userAgent: "python-requests/2.32.3",
      srcIp: "198.51.100.250",
      newNetwork: true,
      previous: { at: "2026-03-04T09:00:00.000Z", ip: "192.0.2.45" },
      privileged: [{ name: "API", count: 3, verdict: "Unapproved" }],
    });
    expect(h).toBe(
      "Reports Integration exported 750k Contact rows in 3 queries from new IP 198.51.100.250 via AcmeReportsSync with python-requests, " +
        "3 h after its last call from 192.0.2.45. 3 privileged actions: API ×3 (Unapproved).",
    );
  });

  it("does not call a network new without earlier sessions to compare with, nor name a client that is the actor", () => {
    const h = sessionHeadline({
      ...base,
      actor: "AcmeReportsSync (connected app)",
      eventCount: 1,
      volumes: [{ activity: "read", rows: 1, events: 1, unit: "API calls", objects: [] }],
      client: "AcmeReportsSync",
      srcIp: "192.0.2.45",
      newNetwork: null,
    });
    expect(h).toBe("AcmeReportsSync (connected app) read 1 row in 1 API call from IP 192.0.2.45.");
  });

  it("Snowflake: a COPY INTO unload names the table and the approval verdict of the privileged action", () => {
    const h = sessionHeadline({
      ...base,
      actor: "WH_LOADER",
      eventCount: 2,
      volumes: [
        { activity: "read", rows: 20, events: 1, unit: "queries", objects: [] },
        { activity: "export", rows: 1_250_000, events: 1, unit: "queries", objects: ["SALES.PUBLIC.ORDERS"] },
      ],
      userAgent: "PythonConnector 3.12.1",
      srcIp: "203.0.113.199",
      newNetwork: false,
      privileged: [{ name: "UNLOAD", count: 1, verdict: "approved by CHG0041001" }],
    });
    expect(h).toBe(
      "WH_LOADER exported 1.3M SALES.PUBLIC.ORDERS rows in 1 query from IP 203.0.113.199 with PythonConnector 3.12.1. " +
        "1 privileged action: UNLOAD (approved by CHG0041001).",
    );
  });

  it("GitHub: no row counts, so the changed object (a branch protection) is named", () => {
    const h = sessionHeadline({
      ...base,
      actor: "release-bot[bot]",
      eventCount: 2,
      actions: [
        { name: "protected_branch.destroy", count: 1 },
        { name: "git.push", count: 1 },
      ],
      objectsChanged: [{ type: "branch_protection", id: "main", name: "main" }],
      userAgent: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36",
      srcIp: "192.0.2.7",
      newNetwork: true,
      privileged: [{ name: "protected_branch.destroy", count: 1, verdict: null }],
    });
    expect(h).toBe(
      "release-bot[bot] changed branch_protection main from new IP 192.0.2.7 with Chrome. 1 privileged action: protected_branch.destroy (not checked).",
    );
  });

  it("Google Workspace: only reads, so the counted actions are the volume", () => {
    const h = sessionHeadline({
      ...base,
      actor: "Dana Kim",
      eventCount: 42,
      actions: [
        { name: "download", count: 40 },
        { name: "view", count: 1 },
        { name: "login_success", count: 1 },
      ],
      srcIp: "198.51.100.9",
      newNetwork: false,
      previous: { at: "2026-03-02T12:00:00.000Z", ip: "198.51.100.9" },
    });
    expect(h).toBe("Dana Kim ran 42 events: download ×40 and view, … from IP 198.51.100.9, 2 d after its last call.");
  });

  it("leads with the client acting as the identity when the identity's name is only the platform's id", () => {
    const h = sessionHeadline({
      ...base,
      actor: "005Hs0000SVCINTIQ5",
      actorIsId: true,
      eventCount: 3,
      volumes: [{ activity: "export", rows: 750_003, events: 3, unit: "queries", objects: ["Contact"] }],
      client: "AcmeReportsSync",
      userAgent: "python-requests/2.32.3",
      srcIp: "198.51.100.250",
      newNetwork: true,
      startedAt: "2026-11-24T05:00:00.000Z",
      previous: { at: "2026-11-24T02:00:00.000Z", ip: "192.0.2.45" },
    });
    expect(h).toBe(
      "AcmeReportsSync (as 005Hs0000SVCINTIQ5) exported 750k Contact rows in 3 queries from new IP 198.51.100.250 with python-requests, " +
        "3 h after its last call from 192.0.2.45.",
    );
  });

  it("says when no actor is known instead of inventing one", () => {
    expect(sessionHeadline({ ...base })).toBe("An unidentified actor has no events.");
  });
});

describe("headline words", () => {
  it("compacts counts, gaps and user agents", () => {
    expect([compactCount(980), compactCount(750_003), compactCount(12_345), compactCount(1_250_000)]).toEqual([
      "980",
      "750k",
      "12.3k",
      "1.3M",
    ]);
    expect([gapText(20_000), gapText(25 * 60000), gapText(3 * 3600000), gapText(3 * 86400000)]).toEqual([
      "under a minute",
      "25 min",
      "3 h",
      "3 d",
    ]);
    expect(userAgentName("aws-cli/2.15.0 Python/3.11.6 Linux/6.1")).toBe("aws-cli");
    expect(userAgentName("Mozilla/5.0 (Macintosh) Gecko/20100101 Firefox/121.0")).toBe("Firefox");
  });
});
