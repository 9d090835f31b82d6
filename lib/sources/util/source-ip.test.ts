import { describe, expect, it } from "vitest";
import { sourceIp } from "./source-ip";

const MODES = [{ loopback: "keep" }, { loopback: "drop" }] as const;

describe("sourceIp", () => {
  it("keeps IPv4 and IPv6 addresses", () => {
    for (const mode of MODES) {
      expect(sourceIp("198.51.100.23", mode)).toBe("198.51.100.23");
      expect(sourceIp(" 2001:db8::1 ", mode)).toBe("2001:db8::1");
      expect(sourceIp("fe80::1%eth0", mode)).toBe("fe80::1%eth0");
    }
  });

  it("drops placeholders and the unspecified address", () => {
    for (const mode of MODES)
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
        expect(sourceIp(v, mode), `${String(v)} ${mode.loopback}`).toBeNull();
  });

  it("drops loopback, and the unspecified address in any IPv6 spelling, only when asked to", () => {
    for (const v of ["127.0.0.1", "127.10.0.1", "::1", "0:0:0:0:0:0:0:1", "::%lo", "0::0", "::ffff:127.0.0.1", "::FFFF:0.0.0.0"]) {
      expect(sourceIp(v, { loopback: "drop" }), v).toBeNull();
      expect(sourceIp(v, { loopback: "keep" }), v).toBe(v);
    }
  });
});
