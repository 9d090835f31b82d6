import { NextRequest } from "next/server";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AppError } from "@/lib/errors";
import { createCaseInput } from "@/lib/cases/types";
import { sessionDetailQuery } from "@/lib/sessions/types";
import { apiRoute, userRoute } from "./handler";
import { contentDisposition, created, download } from "./responses";

// The wrapper's own behaviour, without a database or a session: who is signed in is mocked.
const auth = vi.hoisted(() => ({ user: null as null | Record<string, unknown>, refuse: false }));
vi.mock("@/lib/auth/guard", () => ({
  authorizeApi: async () => {
    if (auth.refuse) throw new AppError("UNAUTHENTICATED", "Sign in to continue.");
    return auth.user;
  },
}));

const ana = {
  id: "3f1b6c2e-1d2a-4b5c-8d9e-0a1b2c3d4e5f",
  email: "ana@example.test",
  name: "Ana",
  role: "analyst",
  ip: "10.0.0.1",
  userAgent: "vitest",
};
const post = (url: string, body: string) =>
  new NextRequest(`http://localhost${url}`, { method: "POST", body, headers: { "content-type": "application/json" } });
const get = (url: string) => new NextRequest(`http://localhost${url}`);
const params = (p: Record<string, string> = {}) => ({ params: Promise.resolve(p) });

beforeEach(() => {
  auth.user = ana;
  auth.refuse = false;
});
afterEach(() => vi.restoreAllMocks());

describe("route wrapper", () => {
  it("parses the body by the route's contract once and hands the parsed value, with the caller's context, to the handler", async () => {
    const parse = vi.spyOn(createCaseInput, "parse");
    const seen: unknown[] = [];
    const route = userRoute("POST /api/v1/cases", async ({ body, ctx }) => {
      seen.push(body, ctx);
      return { id: "c-1", number: 1, title: body.title, status: "open" as const, severity: body.severity };
    });
    const res = await route(post("/api/v1/cases", JSON.stringify({ title: "  Token reuse ", tags: ["AWS", "aws"] })), params());
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(parse).toHaveBeenCalledTimes(1);
    expect(seen[0]).toEqual({ title: "Token reuse", severity: "medium", tags: ["aws"] });
    expect(seen[1]).toEqual({
      tenantId: "default",
      actor: { kind: "user", id: ana.id, email: ana.email, role: "analyst", ip: "10.0.0.1", userAgent: "vitest" },
    });
  });

  it("answers 422 with field messages for an invalid body, params or query, before the handler runs", async () => {
    const handler = vi.fn(async () => new Response());
    const bad = await userRoute("POST /api/v1/cases", handler)(
      post("/api/v1/cases", JSON.stringify({ title: "", severity: "urgent" })),
      params(),
    );
    expect(bad.status).toBe(422);
    const body = await bad.json();
    expect(body.error.code).toBe("VALIDATION");
    expect(Object.keys(body.error.fields).sort()).toEqual(["severity", "title"]);
    expect(body.error.fields.title).toEqual(["give the case a title"]);

    const badParams = await userRoute("GET /api/v1/sessions/[id]", handler)(get("/api/v1/sessions/x"), params({ id: "x" }));
    expect(badParams.status).toBe(422);
    expect((await badParams.json()).error.fields).toEqual({ id: ["not a session id"] });

    const parse = vi.spyOn(sessionDetailQuery, "parse");
    const badQuery = await userRoute("GET /api/v1/sessions/[id]", handler)(
      get(`/api/v1/sessions/${ana.id}?eventsLimit=-1`),
      params({ id: ana.id }),
    );
    expect(badQuery.status).toBe(422);
    expect(Object.keys((await badQuery.json()).error.fields)).toEqual(["eventsLimit"]);
    expect(parse).toHaveBeenCalledTimes(1);
    expect(handler).not.toHaveBeenCalled();
  });

  it("refuses before parsing: a signed-out caller gets 401 whatever the body; a body that is not JSON is a 400", async () => {
    const parse = vi.spyOn(createCaseInput, "parse");
    auth.refuse = true;
    const res = await userRoute("POST /api/v1/cases", async () => new Response())(post("/api/v1/cases", "{"), params());
    expect(res.status).toBe(401);
    expect(parse).not.toHaveBeenCalled();
    auth.refuse = false;
    const notJson = await userRoute("POST /api/v1/cases", async () => new Response())(post("/api/v1/cases", "{"), params());
    expect(notJson.status).toBe(400);
    expect((await notJson.json()).error.code).toBe("BAD_REQUEST");
  });

  it("gives public routes no context, and turns unexpected errors into a 500 without details", async () => {
    auth.user = null;
    const seen: unknown[] = [];
    const ok = await apiRoute("GET /api/v1/health", async ({ ctx, client }) => {
      seen.push(ctx, client);
      return { status: "ok" as const, database: "ok" as const, time: "2026-01-01T00:00:00.000Z" };
    })(
      new NextRequest("http://localhost/api/v1/health", { headers: { "x-forwarded-for": "203.0.113.5, 10.0.0.1", "user-agent": "probe" } }),
      params(),
    );
    expect(ok.status).toBe(200);
    // X-Forwarded-For from a client no trusted proxy vouches for says nothing (lib/auth/request-info.ts).
    expect(seen).toEqual([null, { ip: null, userAgent: "probe" }]);
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    const boom = await apiRoute("GET /api/v1/health", async () => {
      throw new Error("db password is hunter2");
    })(get("/api/v1/health"), params());
    expect(boom.status).toBe(500);
    expect(JSON.stringify(await boom.json())).not.toContain("hunter2");
  });
});

describe("the handler's answer", () => {
  it("is typed by the route's response schema (checked by tsc: an answer of another shape does not compile)", () => {
    // @ts-expect-error GET /api/v1/health answers {status, database, time} (lib/system/check-health.types.ts), not this
    expect(typeof apiRoute("GET /api/v1/health", async () => ({ ok: true }))).toBe("function");
    // A Response (created(), download()) is always allowed.
    expect(typeof apiRoute("GET /api/v1/health", async () => new Response("ok"))).toBe("function");
  });
});

describe("created and download", () => {
  it("created: 201, the resource as JSON, Location when it has a URL", async () => {
    const res = created({ id: "c-1" }, "/api/v1/cases/c-1");
    expect(res.status).toBe(201);
    expect(res.headers.get("location")).toBe("/api/v1/cases/c-1");
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(await res.json()).toEqual({ id: "c-1" });
    expect(created({ batchId: "b" }).headers.get("location")).toBeNull();
  });

  it("download: type, attachment (or inline) with an ASCII fallback and the UTF-8 name, no-store, nosniff", async () => {
    const res = download("a,b\n", { fileName: "Bericht für Fall #3.csv", contentType: "text/csv; charset=utf-8" });
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toBe(
      `attachment; filename="Bericht f_r Fall #3.csv"; filename*=UTF-8''Bericht%20f%C3%BCr%20Fall%20%233.csv`,
    );
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(await res.text()).toBe("a,b\n");
    expect(contentDisposition(`say "hi".html`, true)).toBe(`inline; filename="say _hi_.html"; filename*=UTF-8''say%20%22hi%22.html`);
  });
});
