import fs from "node:fs";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { runAnalysis } from "@/lib/analysis/run-analysis";
import { FRAMEWORKS } from "@/lib/compliance/catalogs";
import { buildFrameworkReport } from "@/lib/compliance/build-framework-report";
import { getFrameworkStatus } from "@/lib/compliance/get-framework-status";
import { system } from "@/lib/context/request-context";
import { getCoverage } from "@/lib/coverage/get-coverage";
import { pool } from "@/lib/db";
import { listGovernanceChecks } from "@/lib/governance/list-governance-checks";
import { listFindings } from "@/lib/risk/list-findings";
import { getSession } from "@/lib/sessions/get-session";
import { listIdentities } from "@/lib/sessions/list-identities";
import { listSessions } from "@/lib/sessions/list-sessions";
import { fixturePath } from "@/lib/sources/testing/samples";
import { expectCounts } from "@/test/factories";
import { ingestStream } from "./ingest-stream";

// The poison record: a pushed record carrying a lone UTF-16 surrogate (a truncated emoji) or NUL in any string
// made PostgreSQL's JSON functions fail on the stored event, and with them Coverage, Compliance and every report,
// for everyone, until the row was edited by hand. Such records go through the whole path here: ingest, the
// analysis, and every read that aggregates event JSON.
const POISONS = ["\ud83d", "\udc00 tail", "nul\u0000byte", "\ud83d\u0000\udfff"];

function poisoned(): Buffer {
  const page = JSON.parse(fs.readFileSync(fixturePath("okta", "okta-system-log-page.json"), "utf8")) as Record<string, unknown>[];
  const records = page.map((r, i) => {
    const p = POISONS[i % POISONS.length];
    const copy = structuredClone(r) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    copy.uuid = `${copy.uuid}-poison`;
    if (copy.client?.userAgent) copy.client.userAgent.rawUserAgent = `Mozilla/5.0 ${p}`;
    if (copy.actor) copy.actor.displayName = `Maria ${p}`;
    copy.displayMessage = `message ${p}`;
    for (const t of copy.target ?? []) t.displayName = `${t.displayName ?? "target"} ${p}`;
    return copy;
  });
  // JSON.stringify writes a lone surrogate as a \ud83d escape and NUL as \u0000: valid JSON, as a vendor would send.
  return Buffer.from(JSON.stringify(records));
}

describe("records with lone surrogates and NUL in their strings", () => {
  it("are stored with their raw bytes, and every analysis page and report still reads the store", async () => {
    const bytes = poisoned();
    const r = await ingestStream({ input: Readable.from([bytes]), fileName: "okta-poison.json", via: "api", ctx: system() });
    expectCounts(r);
    expect(r.stored).toBeGreaterThan(0);
    expect(r.quarantined).toBe(0);

    // The raw record is the vendor's bytes, escapes and all; the event JSON is readable by PostgreSQL's functions.
    const raw = await pool().query<{ n: string }>(
      `SELECT count(*)::text AS n FROM raw_record WHERE position(convert_to('\\ud83d', 'UTF8') IN payload) > 0`,
    );
    expect(Number(raw.rows[0].n)).toBeGreaterThan(0);
    const repaired = await pool().query<{ n: string }>(
      `SELECT count(*)::text AS n FROM event WHERE (data::jsonb -> 'extra' ->> 'text_repaired')::int > 0`,
    );
    expect(Number(repaired.rows[0].n)).toBe(r.stored);
    const agents = await pool().query<{ ua: string }>(
      `SELECT data::jsonb ->> 'user_agent' AS ua FROM event WHERE data::jsonb ->> 'user_agent' LIKE 'Mozilla/5.0 %'`,
    );
    for (const { ua } of agents.rows) {
      expect(ua.isWellFormed()).toBe(true);
      expect(ua.includes("\u0000")).toBe(false);
    }

    const analysis = await runAnalysis({ ctx: system(), mode: "full" });
    expect(analysis.sessions).toBeGreaterThan(0);
    const sessions = await listSessions({});
    expect(sessions.items.length).toBeGreaterThan(0);
    for (const s of sessions.items) expect(await getSession({ id: s.id })).not.toBeNull();
    expect((await listIdentities({})).items.length).toBeGreaterThan(0);
    await listFindings({});
    await listGovernanceChecks({});
    const coverage = await getCoverage({});
    expect(coverage.platforms.find((p) => p.platform === "okta")?.events).toBeGreaterThan(0);
    for (const framework of FRAMEWORKS) {
      await getFrameworkStatus({ framework });
      for (const format of ["csv", "html"] as const)
        expect((await buildFrameworkReport({ framework, format, analysis: "test", generatedBy: "test" })).body.length).toBeGreaterThan(0);
    }
  });
});
