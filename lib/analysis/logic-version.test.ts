import { describe, expect, it } from "vitest";
import { catalogHash, logicVersion } from "./logic-version";

describe("logic version", () => {
  it("names the app version and a hash of the rule catalogs, stable across calls", () => {
    const v = logicVersion();
    expect(v.appVersion).toMatch(/^\d+\.\d+\.\d+/);
    expect(v.logicHash).toMatch(/^[0-9a-f]{64}$/);
    expect(v.label).toBe(`${v.appVersion}+${v.logicHash.slice(0, 12)}`);
    expect(logicVersion()).toEqual(v);
  });

  it("changes when a rule changes, including a regular expression inside it", () => {
    const rule = { id: "r", severity: "high", match: /^admin\./i };
    const base = catalogHash({ rules: [rule] });
    expect(catalogHash({ rules: [{ ...rule }] })).toBe(base);
    expect(catalogHash({ rules: [{ ...rule, severity: "medium" }] })).not.toBe(base);
    expect(catalogHash({ rules: [{ ...rule, match: /^admin\./ }] })).not.toBe(base);
    expect(catalogHash({ rules: [{ ...rule, match: /^owner\./i }] })).not.toBe(base);
  });
});
