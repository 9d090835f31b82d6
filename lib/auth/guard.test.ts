import { describe, expect, it } from "vitest";
import { signInReturnPath } from "./guard";

describe("signInReturnPath", () => {
  it("returns the exact requested path and query, not the route pattern", () => {
    expect(signInReturnPath("/sessions/0b6f2a9e-1c1d-4e0e-9a53-0d7c1b2f3a4b?x=1&tab=events", "/sessions/[id]")).toBe(
      "/sessions/0b6f2a9e-1c1d-4e0e-9a53-0d7c1b2f3a4b?x=1&tab=events",
    );
  });
  it("refuses other origins and falls back to a real page", () => {
    expect(signInReturnPath("//evil.example/x", "/sessions/[id]")).toBe("/sessions");
    expect(signInReturnPath("/\\evil.example", "/cases")).toBe("/cases");
    expect(signInReturnPath("https://evil.example/", "/cases")).toBe("/cases");
    expect(signInReturnPath(null, "/lineage")).toBe("/lineage");
    expect(signInReturnPath(undefined, "/cases/[id]")).toBe("/sessions");
  });
});
