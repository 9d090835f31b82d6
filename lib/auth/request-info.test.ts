import { describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/env";
import { normalizeAddress, parseAddressRanges } from "./address-ranges";
import { clientIp, PEER_HEADER, type AddressPolicy } from "./request-info";

const proxies = (text: string) => parseAddressRanges(text).ranges;
const direct: AddressPolicy = { trustedProxies: null, peerStamped: true };
const behind = (text: string, peerStamped = true): AddressPolicy => ({ trustedProxies: proxies(text), peerStamped });
const req = (h: Record<string, string>) => new Headers(h);

describe("clientIp", () => {
  it("without trusted proxies: the connection's address; an X-Forwarded-For the client wrote is ignored", () => {
    // The attack: rotate X-Forwarded-For to get a fresh throttling bucket (and a false address in the audit trail).
    const h = req({ [PEER_HEADER]: "198.51.100.20", "x-forwarded-for": "203.0.113.99", "x-real-ip": "203.0.113.98" });
    expect(clientIp(h, direct)).toBe("198.51.100.20");
    expect(clientIp(req({ [PEER_HEADER]: "::ffff:127.0.0.1" }), direct)).toBe("127.0.0.1");
    expect(clientIp(req({ [PEER_HEADER]: "2001:DB8::7" }), direct)).toBe("2001:db8::7");
  });

  it("a peer header is believed only when this server stamps it; a client's copy is ignored", () => {
    const forged = req({ [PEER_HEADER]: "203.0.113.1", "x-forwarded-for": "203.0.113.2" });
    expect(clientIp(forged, { trustedProxies: null, peerStamped: false })).toBeNull();
  });

  it("behind a trusted proxy: the right-most address in the chain that is not a trusted proxy", () => {
    const p = behind("10.0.0.0/8, 2001:db8:ffff::/48");
    // The client wrote "6.6.6.6"; the proxy appended the address it saw.
    expect(clientIp(req({ [PEER_HEADER]: "10.0.0.1", "x-forwarded-for": "6.6.6.6, 203.0.113.5" }), p)).toBe("203.0.113.5");
    // Two proxies in a row.
    expect(clientIp(req({ [PEER_HEADER]: "10.0.0.1", "x-forwarded-for": "203.0.113.5, 10.0.0.2" }), p)).toBe("203.0.113.5");
    expect(clientIp(req({ [PEER_HEADER]: "2001:db8:ffff::1", "x-forwarded-for": "[2001:db8::9]:5000" }), p)).toBe("2001:db8::9");
    // A request from the proxy host itself.
    expect(clientIp(req({ [PEER_HEADER]: "10.0.0.1", "x-forwarded-for": "10.0.0.3" }), p)).toBe("10.0.0.3");
    expect(clientIp(req({ [PEER_HEADER]: "10.0.0.1" }), p)).toBe("10.0.0.1");
    // A hop that is not an address was not written by a trusted proxy: the client is unknown.
    expect(clientIp(req({ [PEER_HEADER]: "10.0.0.1", "x-forwarded-for": "203.0.113.5, unknown" }), p)).toBeNull();
  });

  it("a client that reaches the app around the proxy cannot use X-Forwarded-For", () => {
    expect(clientIp(req({ [PEER_HEADER]: "198.51.100.20", "x-forwarded-for": "10.0.0.9" }), behind("10.0.0.0/8"))).toBe("198.51.100.20");
  });

  it("with trusted proxies but no stamp, the chain is read as the proxies wrote it", () => {
    const p = behind("10.0.0.0/8", false);
    expect(clientIp(req({ "x-forwarded-for": "6.6.6.6, 203.0.113.5, 10.0.0.2" }), p)).toBe("203.0.113.5");
    expect(clientIp(req({}), p)).toBeNull();
  });
});

describe("address ranges and SESSIONPROOF_TRUSTED_PROXIES", () => {
  it("normalizes addresses and refuses what is not one", () => {
    expect(normalizeAddress("203.0.113.7:51234")).toBe("203.0.113.7");
    expect(normalizeAddress("[2001:db8::1]:443")).toBe("2001:db8::1");
    expect(normalizeAddress("fe80::1%eth0")).toBe("fe80::1");
    for (const bad of ["", "unknown", "999.1.1.1", "[2001:db8::1", "example.com"]) expect(normalizeAddress(bad)).toBeNull();
  });

  it("parses addresses and CIDR ranges; a bad entry stops start-up with the entry named", () => {
    const { ranges, invalid } = parseAddressRanges("10.0.0.0/8, 127.0.0.1 ::1,192.168.0.0/33, nope");
    expect(invalid).toEqual(["192.168.0.0/33", "nope"]);
    expect(ranges.size).toBe(3);
    expect(["10.255.0.1", "127.0.0.1", "::1", "::ffff:10.1.2.3"].every((a) => ranges.contains(a))).toBe(true);
    expect(["11.0.0.1", "127.0.0.2", "::2"].some((a) => ranges.contains(a))).toBe(false);
    expect(parseEnv({ SESSIONPROOF_TRUSTED_PROXIES: "10.0.0.0/8, ::1" }).SESSIONPROOF_TRUSTED_PROXIES).toBe("10.0.0.0/8, ::1");
    expect(() => parseEnv({ SESSIONPROOF_TRUSTED_PROXIES: "10.0.0.0/8, proxy.internal" })).toThrow(
      /SESSIONPROOF_TRUSTED_PROXIES: not an IP address or CIDR range: proxy\.internal/,
    );
  });
});
