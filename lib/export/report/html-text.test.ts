import { describe, expect, it } from "vitest";
import { h, hText } from "./html-text";
import { timelineSvg } from "./timeline-svg";

describe("report text escaping", () => {
  it("keeps markup, line breaks and invisible characters out of one-line text", () => {
    expect(h(`a<script>x</script>"'&\r\nb\u2028c\u202Ed`)).toBe("a&lt;script&gt;x&lt;/script&gt;&quot;&#39;&amp; b c⟨RLO⟩d");
    expect(h(null)).toBe("");
    expect(h(3)).toBe("3");
  });

  it("keeps line breaks in multi-line text as LF and writes other controls out", () => {
    expect(hText("one\r\ntwo\rthree\u0007<b>")).toBe("one\ntwo\nthree⟨U+0007⟩&lt;b&gt;");
  });
});

describe("the timeline figure", () => {
  it("draws one lane per platform with escaped labels and no script", () => {
    const buckets = new Array<number>(96).fill(0);
    buckets[0] = 3;
    buckets[95] = 1;
    const svg = timelineSvg({
      from: "2025-03-04T08:00:00.000Z",
      to: "2025-03-04T12:00:00.000Z",
      lanes: [
        { platform: "okta", events: 4, buckets, spans: [{ start: "2025-03-04T08:00:00.000Z", end: "2025-03-04T09:00:00.000Z" }] },
        { platform: "<evil>", events: 0, buckets: new Array<number>(96).fill(0), spans: [] },
      ],
    });
    expect(svg).toContain(">Okta</text>");
    expect(svg).toContain("&lt;evil&gt;");
    expect(svg).not.toMatch(/<script|<evil|on\w+=/i);
    expect(svg.match(/fill-opacity="0.45"/g)).toHaveLength(1); // one session bar
    expect(svg).toContain("max 3");
    expect(svg).toContain("2025-03-04 08:00");
  });
});
