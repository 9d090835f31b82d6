import fs from "node:fs";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { ingestStream } from "@/lib/ingest/ingest-stream";
import { fixturePath } from "@/lib/sources/testing/samples";
import { correlationIdle, correlationStatus, requestCorrelation } from "./schedule-correlation";

describe("background correlation", () => {
  it("coalesces requests made while a run is going and leaves the sessions of everything ingested", async () => {
    const file = "okta-system-log-page.json";
    await ingestStream({ input: Readable.from([fs.readFileSync(fixturePath("okta", file))]), fileName: file, via: "cli" });
    requestCorrelation();
    requestCorrelation();
    requestCorrelation();
    expect(correlationStatus().running).toBe(true);
    await correlationIdle();
    const status = correlationStatus();
    expect(status.running).toBe(false);
    expect(status.last?.error).toBeNull();
    expect(status.last?.summary?.events).toBe(await db().event.count());
    expect(await db().session.count()).toBe(status.last?.summary?.sessions);
    expect(await db().session.count()).toBeGreaterThan(0);
  });
});
