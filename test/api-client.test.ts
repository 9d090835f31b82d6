import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { ApiError, apiFetch, errorMessage, errorSummary } from "@/components/api/client";

// The client's one fetch: answers are parsed, refusals carry the API's error body.
function answer(status: number, body: unknown) {
  vi.stubGlobal(
    "fetch",
    vi.fn(async () => new Response(typeof body === "string" ? body : JSON.stringify(body), { status })),
  );
}

afterEach(() => vi.unstubAllGlobals());

const user = z.object({ id: z.string(), email: z.string() });

describe("apiFetch", () => {
  it("returns the parsed answer (unknown keys dropped)", async () => {
    answer(200, { id: "u1", email: "a@b.c", passwordHash: "x" });
    expect(await apiFetch("/api/v1/users/u1", user)).toEqual({ id: "u1", email: "a@b.c" });
  });

  it("refuses an answer that does not match the schema, naming the field", async () => {
    answer(200, { id: 1, email: "a@b.c" });
    const err = await apiFetch("/api/v1/users/u1?x=1", user).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe("BAD_RESPONSE");
    expect((err as ApiError).message).toContain("/api/v1/users/u1 ");
    expect((err as ApiError).message).toContain("id:");
  });

  it("refuses a successful answer that is not JSON", async () => {
    answer(200, "<html>");
    await expect(apiFetch("/api/v1/users", user)).rejects.toMatchObject({ code: "BAD_RESPONSE" });
  });

  it("carries the API's error code, message and field messages", async () => {
    answer(422, { error: { code: "VALIDATION", message: "Check the fields.", fields: { email: ["not an email"] } } });
    const err = (await apiFetch("/api/v1/users", user).catch((e: unknown) => e)) as ApiError;
    expect(err).toMatchObject({ status: 422, code: "VALIDATION", message: "Check the fields.", fields: { email: ["not an email"] } });
    expect(errorMessage(err)).toBe("Check the fields.");
    expect(errorSummary(err)).toBe("Check the fields. not an email");
  });

  it("words a refusal without a JSON body by its status", async () => {
    answer(403, "Forbidden");
    await expect(apiFetch("/api/v1/users", user)).rejects.toMatchObject({
      status: 403,
      code: "UNKNOWN",
      message: "Your role does not allow this.",
    });
  });

  it("words a lost connection plainly", () => {
    expect(errorMessage(new TypeError("Failed to fetch"))).toBe("The request failed. Check your connection and try again.");
  });
});
