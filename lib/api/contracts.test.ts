import { describe, expect, it } from "vitest";
import { API_ACCESS, type ApiKey } from "@/lib/auth/routes";
import { CONTRACTS, contractOf } from "./contracts";

// The registry is what an API description is generated from: it must name real routes and cover their input.
describe("route contracts", () => {
  it("are registered for known route keys only", () => {
    for (const key of Object.keys(CONTRACTS)) expect(Object.keys(API_ACCESS), key).toContain(key);
  });

  it("declare a params schema for every route with a path parameter, naming each parameter", () => {
    const dynamic = (Object.keys(API_ACCESS) as ApiKey[]).filter((k) => k.includes("[") && !k.includes("/api/auth/"));
    expect(dynamic.length).toBeGreaterThan(10);
    for (const key of dynamic) {
      const params = contractOf(key).params;
      expect(params, key).toBeDefined();
      const names = [...key.matchAll(/\[(\w+)\]/g)].map((m) => m[1]);
      const shape = (params as unknown as { shape: Record<string, unknown> }).shape;
      expect(Object.keys(shape).sort(), key).toEqual(names.sort());
    }
  });

  it("take a body only on methods that carry one (a DELETE may carry the reason it records)", () => {
    for (const [key, c] of Object.entries(CONTRACTS)) {
      if ("body" in c) expect(key, key).toMatch(/^(POST|PUT|PATCH|DELETE) /);
    }
    // GET and HEAD never: proxies and caches drop them.
    expect(Object.entries(CONTRACTS).filter(([key, c]) => "body" in c && /^(GET|HEAD) /.test(key))).toEqual([]);
  });
});
