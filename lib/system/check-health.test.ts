import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { GET } from "@/app/api/v1/health/route";

// Unit tests point DATABASE_URL at a host that does not exist (test/setup-unit.ts): the database is unreachable.
describe("GET /api/v1/health", () => {
  it("answers 503 when the database cannot be reached, so a monitor takes the instance out", async () => {
    const res = await GET(new NextRequest("http://localhost/api/v1/health"), { params: Promise.resolve({}) });
    expect(res.status).toBe(503);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(await res.json()).toMatchObject({ status: "degraded", database: "unreachable" });
  });
});
