import { describe, expect, it } from "vitest";
import { sourceIp } from "./source-ip";

describe("sourceIp", () => {
  it("keeps IPv4 and IPv6 addresses", () => {
    expect(sourceIp("198.51.100.23")).toBe("198.51.100.23");
    expect(sourceIp(" 2001:db8::1 ")).toBe("2001:db8::1");
  });

  it("drops placeholders and the unspecified address", () => {
    for (const v of [
      "0.0.0.0",
      "::",
      "0:0:0:0:0:0:0:0",
      "",
      "null",
      "NULL",
      "unknown",
      "Salesforce.com IP",
      "Internal",
      null,
      undefined,
      0,
      {},
    ])
      expect(sourceIp(v), String(v)).toBeNull();
  });
});
