import { describe, expect, it } from "vitest";
import { system } from "@/lib/context/request-context";
import { db, pool } from "@/lib/db";
import { runCorrelation } from "./run-correlation";
import { getSessionsReport } from "./sessions-report";
import { ingestCleanFixtures } from "@/test/factories";

const TRAIL = "111122223333_CloudTrail_eu-west-1_20250304T1315Z_AbCdEfGh12345678.json";

describe("correlation over the stored events", () => {
  it("writes identities, credentials, sessions and links, and the sessions report cites the raw records", async () => {
    await ingestCleanFixtures([
      ["aws-cloudtrail", TRAIL],
      ["okta", "okta-system-log-page.json"],
    ]);
    const first = await runCorrelation({ ctx: system() });
    expect(first.events).toBe(await db().event.count());
    expect(first.sessions).toBeGreaterThan(0);

    const report = await getSessionsReport();
    expect(report.sessions).toHaveLength(first.sessions);
    // Every stored event belongs to at most one session, and every cited record exists at that file and position.
    const cited = report.sessions.flatMap((s) => s.events.map((e) => `${e.source.file}#${e.source.index}`));
    expect(new Set(cited).size).toBe(cited.length);
    const raws = await db().rawRecord.findMany({ select: { fileName: true, position: true } });
    const stored = new Set(raws.map((r) => `${r.fileName}#${r.position}`));
    for (const c of cited) expect(stored.has(c)).toBe(true);

    // The admin role session: AttachUserPolicy and CreateAccessKey change IAM objects; alice initiated it through the chain.
    const admin = report.sessions.find((s) => s.actions.includes("AttachUserPolicy"))!;
    expect(admin).toMatchObject({
      platforms: ["aws-cloudtrail"],
      initiator: { name: "alice" },
      credential: { kind: "aws_session_key", externalId: "ASIAQNOADMINROLE0001" },
    });
    expect(admin.objectsChanged).toContainEqual({ type: "AWS::IAM::User", id: expect.stringContaining("ci-deployer") });
    expect(admin.events.every((e) => e.source.file === TRAIL)).toBe(true);
    const adminCred = report.credentials.find((c) => c.externalId === "ASIAQNOADMINROLE0001")!;
    expect(report.credentials.find((c) => c.id === adminCred.parentId)?.externalId).toBe("ASIAQNOALICEMFA00001");
    const into = report.sessions.flatMap((s) => s.links.filter((l) => l.to === admin.id));
    expect(into).toEqual([{ to: admin.id, kind: "credential_lineage", rule: "credential_minted_in_session", confidence: 1 }]);

    // Stored per event too.
    const withSession = await db().event.count({ where: { sessionId: { not: null } } });
    expect(withSession).toBe(cited.length);

    // A re-run over the same events gives the same rows and ids.
    const again = await runCorrelation({ ctx: system() });
    expect({ ...again, durationMs: 0 }).toEqual({ ...first, durationMs: 0, newEvents: 0 });
    expect(await getSessionsReport()).toEqual(report);

    // A full pass writes only the event rows whose identity or session differ from the result, and puts right
    // any that do: here three rows changed behind its back (a wrong session, a lost identity, a session where
    // the result has none).
    const assignments = async () =>
      (
        await pool().query<{ id: string; i: string | null; s: string | null }>(
          `SELECT id::text AS id, "identityId" AS i, "sessionId" AS s FROM event ORDER BY id`,
        )
      ).rows;
    const expected = await assignments();
    const [a, b] = expected.filter((e) => e.s !== null && e.i !== null);
    const other = expected.find((e) => e.s !== null && e.s !== a.s)!;
    const sessionless = expected.find((e) => e.s === null);
    await pool().query(`UPDATE event SET "sessionId" = $2 WHERE id = $1`, [a.id, other.s]);
    await pool().query(`UPDATE event SET "identityId" = NULL WHERE id = $1`, [b.id]);
    if (sessionless) await pool().query(`UPDATE event SET "sessionId" = $2 WHERE id = $1`, [sessionless.id, a.s]);
    const xmin = async () =>
      new Map(
        (await pool().query<{ id: string; x: string }>(`SELECT id::text AS id, xmin::text AS x FROM event`)).rows.map((r) => [r.id, r.x]),
      );
    const versionsBefore = await xmin();
    await runCorrelation({ ctx: system() });
    expect(await assignments()).toEqual(expected);
    const versionsAfter = await xmin();
    const rewritten = [...versionsAfter]
      .filter(([id, x]) => versionsBefore.get(id) !== x)
      .map(([id]) => id)
      .sort();
    expect(rewritten).toEqual([a.id, b.id, ...(sessionless ? [sessionless.id] : [])].sort());
  });
});
