import { describe, expect, it } from "vitest";
import { eventClient, matchesEventFilter } from "./event-filter";

const ev = {
  eventName: "API",
  status: "success",
  actorName: null,
  srcIp: "198.51.100.250",
  client: "AcmeReportsSync",
  userAgent: "python-requests/2.32.3",
  target: "Contact",
};

describe("matchesEventFilter", () => {
  it("matches every word against the visible columns, case-insensitively", () => {
    expect(matchesEventFilter(ev, "")).toBe(true);
    expect(matchesEventFilter(ev, "198.51.100.250")).toBe(true);
    expect(matchesEventFilter(ev, "acmereports contact")).toBe(true);
    expect(matchesEventFilter(ev, "python-requests")).toBe(true);
    expect(matchesEventFilter(ev, "contact 192.0.2.45")).toBe(false);
  });

  it("names the client by its app, else by its user agent's product", () => {
    expect(eventClient(ev)).toBe("AcmeReportsSync");
    expect(eventClient({ client: null, userAgent: "python-requests/2.32.3" })).toBe("python-requests");
    expect(eventClient({ client: null, userAgent: null })).toBeNull();
  });
});
