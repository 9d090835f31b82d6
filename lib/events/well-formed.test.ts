import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { repairStringsInPlace, wellFormedText } from "./well-formed";

describe("wellFormedText", () => {
  it("replaces lone surrogates and NUL with U+FFFD and keeps valid pairs", () => {
    expect(wellFormedText("Mozilla/5.0 \ud83d")).toBe("Mozilla/5.0 \uFFFD");
    expect(wellFormedText("\udc00x")).toBe("\uFFFDx");
    expect(wellFormedText("a\u0000b")).toBe("a\uFFFDb");
    expect(wellFormedText("ok \ud83d\ude00")).toBe("ok \ud83d\ude00");
  });

  it("always yields text PostgreSQL's JSON accepts (no lone surrogate, no NUL)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (s) => {
        const t = wellFormedText(s);
        expect(t.isWellFormed()).toBe(true);
        expect(t.includes("\u0000")).toBe(false);
        if (s.isWellFormed() && !s.includes("\u0000")) expect(t).toBe(s);
      }),
    );
  });
});

describe("repairStringsInPlace", () => {
  it("repairs nested values and keys, counts them, and leaves dates alone", () => {
    const time = new Date(0);
    const e = { user_agent: "x\ud800", time, extra: { ["k\u0000"]: ["\udfff", 1, null, { deep: "fine" }] } };
    expect(repairStringsInPlace(e)).toBe(3);
    expect(e).toEqual({ user_agent: "x\uFFFD", time, extra: { ["k\uFFFD"]: ["\uFFFD", 1, null, { deep: "fine" }] } });
    expect(e.time).toBe(time);
    expect(repairStringsInPlace({ a: "clean", b: ["also"] })).toBe(0);
  });
});
