import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { system } from "@/lib/context/request-context";
import { pool } from "@/lib/db";
import { runCorrelation } from "@/lib/correlation/run-correlation";
import { generateDemo } from "@/lib/demo/generate-demo";
import { ingestFiles } from "@/lib/ingest/ingest-files";
import { runRiskRules } from "@/lib/risk/run-risk-rules";
import { runGovernanceChecks } from "./run-governance-checks";
import { APPROVAL_FAILURES } from "./types";

// runGovernanceChecks and runRiskRules write only what differs from the stored result. On the demo data, after
// changes that add, alter and remove checks and findings, the stored result must equal a rebuild from nothing,
// unchanged rows must keep their ids, and a run with nothing changed must write nothing.

const CHECK_COLS = `"eventId", platform, time, action, category, "identityId", "sessionId", "actorName", "targetName", "approvalId",
  "approvalRef", approved, "grantId", "insideWindow", "minutesOutside", "grantBroader", "usedPrivilege", "policyDecisionId",
  "policyResult", status, statuses, checks, reasons`;
const checks = async () => (await pool().query(`SELECT ${CHECK_COLS} FROM governance_check ORDER BY "eventId"`)).rows;
const ids = async () =>
  new Map(
    (await pool().query<{ eventId: string; id: string }>(`SELECT "eventId", id FROM governance_check`)).rows.map((r) => [r.eventId, r.id]),
  );
const findings = async () =>
  (
    await pool().query(
      `SELECT fingerprint, "ruleId", severity, title, "sessionId", "identityId", evidence::jsonb - 'resolvedAt' AS evidence,
              evidence::jsonb ? 'resolvedAt' AS resolved, "eventIds", "firstSeenAt", "lastSeenAt", status
         FROM finding ORDER BY fingerprint`,
    )
  ).rows;
const changeRows = async () =>
  Number((await pool().query(`SELECT count(*) FROM analytics_change WHERE "tableName" = 'governance_check'`)).rows[0].count);

let asOf: Date;

beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gov-diff-"));
  const summary = generateDemo({ seed: 3, scale: 1, outDir: dir });
  const paths = JSON.parse(fs.readFileSync(summary.groundTruth, "utf8")).files.map((f: { path: string }) =>
    path.join(dir, f.path),
  ) as string[];
  await ingestFiles({ ctx: system(), paths, sourceName: undefined });
  await runCorrelation({ ctx: system() });
  asOf = (await pool().query<{ t: Date }>(`SELECT max(time) AS t FROM event`)).rows[0].t;
}, 120_000);

describe("governance checks and risk findings written as differences", () => {
  it("equal a rebuild from nothing after checks are added, changed and removed", async () => {
    await runGovernanceChecks({ ctx: system() });
    const first = await checks();
    expect(first.length).toBeGreaterThan(3);
    const idsBefore = await ids();

    // Nothing changed: nothing written (no statement on governance_check), same rows, same ids.
    const writes = await changeRows();
    await runGovernanceChecks({ ctx: system() });
    expect(await changeRows()).toBe(writes);
    expect(await checks()).toEqual(first);

    // Remove one check (the event is no longer privileged), change another (its actor's name), add one (a copy of
    // a privileged event under a new id).
    const [gone, renamed, copied] = first.slice(0, 3).map((c) => c.eventId as string);
    await pool().query(`UPDATE event SET privileged = false WHERE id = $1`, [gone]);
    await pool().query(`UPDATE event SET "actorName" = 'renamed-actor' WHERE id = $1`, [renamed]);
    const added = (
      await pool().query<{ id: string }>(
        `INSERT INTO event ("tenantId", "sourceId", "rawRecordId", platform, time, "classUid", "className", activity, "nativeId", status,
           "actorExternalId", "actorName", "actorType", "identityId", "sessionKey", "credentialKey", "clientAppId", "srcIp", "userAgent",
           "targetType", "targetId", "targetName", privileged, "sessionId", data)
         SELECT "tenantId", "sourceId", "rawRecordId", platform, time + interval '1 minute', "classUid", "className", activity, "nativeId", status,
           "actorExternalId", "actorName", "actorType", "identityId", "sessionKey", "credentialKey", "clientAppId", "srcIp", "userAgent",
           "targetType", "targetId", "targetName", privileged, "sessionId", data FROM event WHERE id = $1 RETURNING id`,
        [copied],
      )
    ).rows[0].id;

    const counts = await runGovernanceChecks({ ctx: system() });
    const incremental = await checks();
    expect(counts.checks).toBe(first.length);
    expect(incremental.map((c) => c.eventId)).not.toContain(gone);
    expect(incremental.map((c) => c.eventId)).toContain(added);
    expect(incremental.find((c) => c.eventId === renamed)!.actorName).toBe("renamed-actor");
    // Untouched checks kept their rows.
    const idsAfter = await ids();
    const untouched = first.map((c) => c.eventId as string).filter((e) => e !== gone && e !== renamed);
    expect(untouched.every((e) => idsAfter.get(e) === idsBefore.get(e))).toBe(true);

    await pool().query(`DELETE FROM governance_check`);
    await runGovernanceChecks({ ctx: system() });
    expect(await checks()).toEqual(incremental);
  });

  it("risk findings: a second run over changed data equals a run from nothing", async () => {
    await runRiskRules({ ctx: system(), asOf });
    const before = await findings();
    expect(before.length).toBeGreaterThan(0);

    // Make one unapproved privileged action approved (its finding must resolve; its other statuses stay), and rename
    // the actor of another.
    const [approvedEvent, removedEvent] = (
      await pool().query<{ eventId: string }>(
        `SELECT "eventId" FROM governance_check WHERE statuses && $1::text[] ORDER BY "eventId" LIMIT 2`,
        [APPROVAL_FAILURES],
      )
    ).rows.map((r) => r.eventId);
    await pool().query(
      `UPDATE governance_check SET approved = true, statuses = ARRAY(SELECT s FROM unnest(statuses) s WHERE s <> ALL($2::text[]))
        WHERE "eventId" = $1`,
      [approvedEvent, APPROVAL_FAILURES],
    );
    // (The title names the resolved identity first, the record's actor only without one: detach it too.)
    await pool().query(`UPDATE governance_check SET "actorName" = 'someone else', "identityId" = NULL WHERE "eventId" = $1`, [
      removedEvent,
    ]);

    const again = await runRiskRules({ ctx: system(), asOf });
    expect(again.resolved).toBe(1);
    const incremental = await findings();
    const resolved = incremental.filter((f) => f.resolved).map((f) => f.fingerprint);
    expect(resolved).toEqual([`privileged-without-approval:event:${approvedEvent}`]);
    expect(incremental.find((f) => f.fingerprint === `privileged-without-approval:event:${removedEvent}`)!.title).toMatch(
      /^someone else ran /,
    );

    // From nothing: the same open findings with the same content.
    const sessions = (await pool().query(`SELECT id, "riskScore", "riskLevel" FROM session ORDER BY id`)).rows;
    await pool().query(`DELETE FROM finding_activity; DELETE FROM finding; UPDATE session SET "riskScore" = 0, "riskLevel" = NULL`);
    await runRiskRules({ ctx: system(), asOf });
    const rebuilt = await findings();
    expect(rebuilt).toEqual(incremental.filter((f) => !f.resolved));
    expect((await pool().query(`SELECT id, "riskScore", "riskLevel" FROM session ORDER BY id`)).rows).toEqual(sessions);
  });
});
