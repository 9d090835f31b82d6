import { describe, expect, it } from "vitest";
import { hasInvisible, INVISIBLE_PG_CLASS, markInvisible, splitInvisible, stripInvisible } from "./invisible";

describe("invisible characters", () => {
  it("finds, names and marks zero-width and bidirectional characters, tags included", () => {
    const spoof = "ad\u200Bmin\u202Efdp.exe\u{E0041}";
    expect(hasInvisible(spoof)).toBe(true);
    expect(hasInvisible("admin café 漢字 😀")).toBe(false);
    expect(stripInvisible(spoof)).toBe("adminfdp.exe");
    expect(markInvisible(spoof)).toBe("ad⟨ZWSP⟩min⟨RLO⟩fdp.exe⟨U+E0041⟩");
    expect(splitInvisible("a\u200Db")).toEqual([{ text: "a" }, { invisible: "ZWJ", codePoint: "U+200D" }, { text: "b" }]);
    expect(markInvisible("plain")).toBe("plain");
  });

  it("gives PostgreSQL the same set", () => {
    const re = new RegExp(INVISIBLE_PG_CLASS, "gu");
    expect("ad\u200Bmin\u2066x\u{E0041}\uFEFF".replace(re, "")).toBe("adminx");
  });
});
