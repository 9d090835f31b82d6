import { describe, expect, it } from "vitest";
import { fromSessionUser, system } from "@/lib/context/request-context";
import { db } from "@/lib/db";
import { correlationIdle, correlationStatus, requestCorrelation } from "./schedule-analysis";
import { ingestFixture } from "@/test/factories";

const runEntries = async (skip = 0) =>
  (await db().auditLog.findMany({ where: { action: "correlation.run" }, orderBy: { id: "asc" }, skip })).map((r) => ({
    actorId: r.actorId,
    actorEmail: r.actorEmail,
    details: r.details as { mode: string; requested: string; newEvents: number; eventsLoaded: number },
  }));

describe("background correlation", () => {
  it("coalesces requests made while a run is going and leaves the sessions of everything ingested", async () => {
    await ingestFixture("okta", "okta-system-log-page.json");
    const events = await db().event.count();
    requestCorrelation({ ctx: system() });
    requestCorrelation({ ctx: system() });
    requestCorrelation({ ctx: system() });
    expect(correlationStatus().running).toBe(true);
    await correlationIdle();
    const status = correlationStatus();
    expect(status.running).toBe(false);
    expect(status.last?.error).toBeNull();
    // Two runs, both by the system: the first (no earlier correlation: a full pass) took every event; the two
    // requests made while it ran became one incremental run that found nothing new.
    const runs = await runEntries();
    expect(
      runs.map((r) => [r.actorId, r.actorEmail, r.details.requested, r.details.mode, r.details.newEvents, r.details.eventsLoaded]),
    ).toEqual([
      [null, "system", "incremental", "full", events, events],
      [null, "system", "incremental", "incremental", 0, 0],
    ]);
    expect(status.last?.summary).toMatchObject({ mode: "incremental", newEvents: 0, events: 0, totalEvents: events });
    expect(await db().session.count()).toBeGreaterThan(0);
    expect(await db().event.count({ where: { sessionId: null, identityId: null } })).toBeLessThan(events);
  });

  it("a user's request coalesced with a background one runs the widest mode under the user's name", async () => {
    const before = (await runEntries()).length;
    const userId = "0b7c9a54-3c55-4f1e-9a7e-6d2f1e0c4b11";
    requestCorrelation({ ctx: system() });
    requestCorrelation({ ctx: fromSessionUser({ id: userId, email: "ana@example.com", role: "analyst" }), mode: "full" });
    requestCorrelation({ ctx: system() });
    await correlationIdle();
    const runs = await runEntries(before);
    expect(runs.map((r) => [r.actorId, r.actorEmail, r.details.requested])).toEqual([
      [null, "system", "incremental"],
      [userId, "ana@example.com", "full"],
    ]);
    expect(runs[1].details.eventsLoaded).toBe(await db().event.count());
  });
});
