import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { VisibleText } from "@/components/visible-text";

// Where an identity's name or an event's value is shown, an invisible character is shown marked, never as nothing.
describe("VisibleText", () => {
  it("marks zero-width and bidirectional characters and leaves none of them in the page", () => {
    const html = renderToStaticMarkup(createElement(VisibleText, { text: "ad\u200Bmin\u202Eexe" }));
    expect(html).toBe(
      'ad<mark class="invisible-char" title="Invisible character U+200B" data-testid="invisible-char">⟨ZWSP⟩</mark>min' +
        '<mark class="invisible-char" title="Invisible character U+202E" data-testid="invisible-char">⟨RLO⟩</mark>exe',
    );
    expect(renderToStaticMarkup(createElement(VisibleText, { text: "admin" }))).toBe("admin");
    expect(renderToStaticMarkup(createElement(VisibleText, { text: null }))).toBe("");
  });
});
