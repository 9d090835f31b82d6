import { BlockList, isIP } from "node:net";

// IP addresses and CIDR ranges (the trusted reverse proxies), and the one way addresses are normalized before
// they are compared or recorded.

/**
 * An address as Sessionproof records it, or null when the text is not one: brackets and ports dropped
 * ("[2001:db8::1]:443", "203.0.113.7:51234"), an IPv4-mapped IPv6 address as IPv4 ("::ffff:127.0.0.1"), a zone
 * index dropped ("fe80::1%eth0"), lower case.
 */
export function normalizeAddress(raw: string | null | undefined): string | null {
  if (!raw) return null;
  let a = raw.trim();
  if (a.startsWith("[")) {
    const end = a.indexOf("]");
    if (end < 0) return null;
    a = a.slice(1, end);
  } else if (/^\d{1,3}(\.\d{1,3}){3}:\d{1,5}$/.test(a)) {
    a = a.slice(0, a.lastIndexOf(":"));
  }
  const zone = a.indexOf("%");
  if (zone > 0) a = a.slice(0, zone);
  if (/^::ffff:/i.test(a) && isIP(a.slice(7)) === 4) a = a.slice(7);
  return isIP(a) ? a.toLowerCase() : null;
}

export type AddressRanges = { contains(address: string): boolean; readonly size: number };

/** Parses "10.0.0.0/8, 127.0.0.1, ::1" (commas or spaces); `invalid` lists the entries that are neither. */
export function parseAddressRanges(text: string | null | undefined): { ranges: AddressRanges; invalid: string[] } {
  const list = new BlockList();
  const invalid: string[] = [];
  let size = 0;
  for (const entry of (text ?? "").split(/[\s,]+/).filter(Boolean)) {
    const [addr, bits, extra] = entry.split("/");
    const address = normalizeAddress(addr);
    const family = address ? (isIP(address) === 4 ? "ipv4" : "ipv6") : null;
    const prefix = bits === undefined ? null : /^\d{1,3}$/.test(bits) ? Number(bits) : -1;
    if (!address || !family || extra !== undefined || (prefix !== null && (prefix < 0 || prefix > (family === "ipv4" ? 32 : 128)))) {
      invalid.push(entry);
      continue;
    }
    if (prefix === null) list.addAddress(address, family);
    else list.addSubnet(address, prefix, family);
    size++;
  }
  return {
    invalid,
    ranges: {
      size,
      contains(address: string) {
        const a = normalizeAddress(address);
        return a !== null && list.check(a, isIP(a) === 4 ? "ipv4" : "ipv6");
      },
    },
  };
}
