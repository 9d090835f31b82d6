import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { authRedirect, safeCallbackPath, sameOriginPath } from "./callback-url";

const APP = "https://sessionproof.example";

describe("safeCallbackPath (where sign-in sends a visitor)", () => {
  it("keeps same-origin paths with their query and fragment", () => {
    expect(safeCallbackPath("/sessions/0b6f2a9e?eventsOffset=0&x=1")).toBe("/sessions/0b6f2a9e?eventsOffset=0&x=1");
    expect(safeCallbackPath("/cases?status=open#top")).toBe("/cases?status=open#top");
    expect(safeCallbackPath("/")).toBe("/");
  });

  it("refuses the open-redirect payloads of the attack campaign and the usual variants", () => {
    for (const attack of [
      "/\\evil.example", // a browser reads "\" as "/": //evil.example
      "/\t/evil.example", // "/%09/evil.example" once the query string is decoded; browsers drop the tab
      "/\n/evil.example",
      "/\r\n/evil.example",
      "\\/evil.example",
      "//evil.example",
      "///evil.example",
      "/.//evil.example", // resolves to //evil.example
      "/%2e//evil.example",
      "https://evil.example/sessions",
      "javascript:alert(1)",
      " /sessions",
      "",
    ]) {
      expect(safeCallbackPath(attack), JSON.stringify(attack)).toBe("/sessions");
    }
    expect(safeCallbackPath(null)).toBe("/sessions");
    expect(safeCallbackPath(undefined, "/cases")).toBe("/cases");
  });

  it("whatever it returns stays on the app's origin when a browser resolves it (property)", () => {
    const piece = fc.constantFrom("/", "\\", "\t", "\n", ".", "..", "%09", "%2e", "%2f", "evil.example", "@", ":", "?", "#", "a");
    const start = fc.constantFrom("/", "/\\", "/\t", "/.", "//", "\\");
    fc.assert(
      fc.property(start, fc.array(piece, { maxLength: 8 }), (head, parts) => {
        const raw = head + parts.join("");
        const out = sameOriginPath(raw);
        if (out === null) return;
        expect(out.startsWith("/") && !out.startsWith("//")).toBe(true);
        let resolved: string;
        try {
          resolved = new URL(out, APP).origin;
        } catch {
          resolved = "(not a URL)";
        }
        expect(resolved).toBe(APP);
      }),
    );
  });
});

describe("authRedirect (next-auth's redirect callback)", () => {
  it("keeps paths and same-origin URLs, sends everything else to the fallback on this origin", () => {
    expect(authRedirect({ url: "/cases?x=1", baseUrl: APP })).toBe(`${APP}/cases?x=1`);
    expect(authRedirect({ url: `${APP}/cases/1`, baseUrl: APP })).toBe(`${APP}/cases/1`);
    expect(authRedirect({ url: "/login", baseUrl: APP })).toBe(`${APP}/login`);
    expect(authRedirect({ url: "/\\evil.example", baseUrl: APP })).toBe(`${APP}/sessions`);
    expect(authRedirect({ url: "/\t/evil.example", baseUrl: APP })).toBe(`${APP}/sessions`);
    expect(authRedirect({ url: "https://evil.example/", baseUrl: APP })).toBe(`${APP}/sessions`);
    expect(authRedirect({ url: `${APP}//evil.example`, baseUrl: APP })).toBe(`${APP}/sessions`);
    expect(authRedirect({ url: "not a url", baseUrl: APP })).toBe(`${APP}/sessions`);
  });
});
