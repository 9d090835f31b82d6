import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { assertJsonBody, assertSameOriginRequest } from "./csrf";

const APP = "http://localhost:3000";
const check = (method: string, headers: Record<string, string>, appOrigin: string | null = APP, requestOrigin = APP) =>
  assertSameOriginRequest({ method, headers: new Headers(headers), requestOrigin, appOrigin });
const refused = (fn: () => void) => {
  try {
    fn();
  } catch (e) {
    return e instanceof AppError ? e.code : "other";
  }
  return null;
};

describe("assertSameOriginRequest", () => {
  it("refuses a same-site page on another port posting with the cookie (the form-post attack)", () => {
    expect(refused(() => check("POST", { origin: "http://localhost:3999", "sec-fetch-site": "same-site" }))).toBe("FORBIDDEN");
    expect(refused(() => check("POST", { origin: "http://localhost:3999" }))).toBe("FORBIDDEN");
    expect(refused(() => check("DELETE", { "sec-fetch-site": "cross-site" }))).toBe("FORBIDDEN");
    expect(refused(() => check("PATCH", { origin: "null" }))).toBe("FORBIDDEN");
    expect(refused(() => check("PUT", { origin: "https://app.example.com.evil.test" }, "https://app.example.com"))).toBe("FORBIDDEN");
  });

  it("accepts the app's own pages and programs without browser headers", () => {
    expect(refused(() => check("POST", { origin: APP, "sec-fetch-site": "same-origin" }))).toBeNull();
    expect(refused(() => check("POST", {}))).toBeNull();
    expect(refused(() => check("GET", { origin: "http://localhost:3999", "sec-fetch-site": "cross-site" }))).toBeNull();
  });

  it("accepts the origin the request was sent to as well as the canonical one (localhost and 127.0.0.1 both work)", () => {
    expect(refused(() => check("POST", { origin: "http://127.0.0.1:3000" }, APP, "http://127.0.0.1:3000"))).toBeNull();
    expect(refused(() => check("POST", { origin: "http://localhost:3999" }, APP, "http://127.0.0.1:3000"))).toBe("FORBIDDEN");
    expect(refused(() => check("POST", { origin: "http://evil.test" }, null, "http://app.test"))).toBe("FORBIDDEN");
  });
});

describe("assertJsonBody", () => {
  it("refuses text/plain, form and missing content types for a body, accepts JSON and empty bodies", () => {
    expect(refused(() => assertJsonBody(new Headers({ "content-type": "text/plain", "content-length": "20" })))).toBe("BAD_REQUEST");
    expect(refused(() => assertJsonBody(new Headers({ "content-type": "application/x-www-form-urlencoded", "content-length": "9" })))).toBe(
      "BAD_REQUEST",
    );
    expect(refused(() => assertJsonBody(new Headers({ "content-length": "2" })))).toBe("BAD_REQUEST");
    expect(
      refused(() => assertJsonBody(new Headers({ "content-type": "application/json; charset=utf-8", "content-length": "2" }))),
    ).toBeNull();
    expect(
      refused(() => assertJsonBody(new Headers({ "content-type": "application/merge-patch+json", "content-length": "2" }))),
    ).toBeNull();
    expect(refused(() => assertJsonBody(new Headers({ "content-length": "0" })))).toBeNull();
    expect(refused(() => assertJsonBody(new Headers({})))).toBeNull();
  });
});
