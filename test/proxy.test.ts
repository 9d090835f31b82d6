import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { proxy } from "@/proxy";

describe("proxy", () => {
  it("refuses an address holding an encoded NUL with a 400 and a message, before a page reads it", async () => {
    for (const url of ["http://localhost/sessions?q=a%00b", "http://localhost/identities/%00", "http://localhost/audit?actor=%00"]) {
      const res = proxy(new NextRequest(url));
      expect(res.status).toBe(400);
      expect((await res.json()).error.message).toMatch(/encoded NUL character/);
    }
    expect(proxy(new NextRequest("http://localhost/sessions?q=admin")).status).toBe(200);
  });
});
