import { describe, expect, it } from "vitest";
import { pool } from "@/lib/db";
import { getFrameworkStatus } from "@/lib/compliance/get-framework-status";
import { measureEvidence } from "@/lib/compliance/measure-evidence";
import { expectAppError, seedUser } from "@/test/factories";
import { approveRiskAcceptance, dismissFinding } from "./dismiss-finding";
import { getFinding } from "./get-finding";
import { listExceptions } from "./list-exceptions";
import { listFindings } from "./list-findings";
import { dismissFindingInput, findingReasonInput } from "./types";

// Dismissal types on crafted findings: a risk acceptance needs an expiry and a second person's approval, is listed as
// an exception and never counts as evidence; a false positive leaves the population the compliance status counts.

const DAY = 86_400_000;
const now = new Date();
const inDays = (d: number) => new Date(now.getTime() + d * DAY).toISOString().slice(0, 10);

let nextEvent = 700_000;
async function unapprovedAction(): Promise<{ eventId: string; findingId: string }> {
  const eventId = String(nextEvent++);
  await pool().query(
    `INSERT INTO governance_check (id, "eventId", platform, time, action, category, approved, status, reasons)
     VALUES (gen_random_uuid(), $1, 'okta', now(), 'user.account.privilege.grant', 'admin_role_change', NULL, 'unapproved', '[]')`,
    [eventId],
  );
  const f = await pool().query<{ id: string }>(
    `INSERT INTO finding (id, "ruleId", severity, title, evidence, status, fingerprint, "eventIds", "firstSeenAt", "lastSeenAt")
     VALUES (gen_random_uuid(), 'privileged-without-approval', 'high', $1, '{}', 'open', $1, ARRAY[$2::bigint], now(), now()) RETURNING id`,
    [`Privileged action ${eventId} without approval`, eventId],
  );
  return { eventId, findingId: f.rows[0].id };
}

const ruleItem = async (control: string) =>
  (await getFrameworkStatus({ framework: "nist-csf-2.0" })).controls
    .find((c) => c.id === control)!
    .evidence.find((e) => e.source === "privileged-without-approval")!;

describe("dismissal types", () => {
  it("a risk acceptance needs an expiry in the future and within a year", async () => {
    const { findingId: id } = await unapprovedAction();
    const { ctx } = await seedUser("compliance");
    // The route contract refuses a risk acceptance without an expiry; dismissFinding checks the date against now.
    expect(() => dismissFindingInput.parse({ type: "risk_accepted", reason: "Accepted for Q1" })).toThrow(/expires/);
    await expectAppError(
      dismissFinding({
        ctx,
        id,
        input: dismissFindingInput.parse({ type: "risk_accepted", reason: "Accepted for Q1", expiresAt: inDays(-1) }),
      }),
      "VALIDATION",
      /in the future/,
    );
    await expectAppError(
      dismissFinding({
        ctx,
        id,
        input: dismissFindingInput.parse({ type: "risk_accepted", reason: "Accepted for Q1", expiresAt: inDays(400) }),
      }),
      "VALIDATION",
      /at most 366 days/,
    );
    expect((await getFinding({ id }))?.status).toBe("open");
  });

  it("a risk acceptance counts as open until someone else approves it; then it is an exception with its expiry, never evidence", async () => {
    const { findingId: id } = await unapprovedAction();
    const cm = await seedUser("compliance");
    const admin = await seedUser("admin");
    await pool().query(`DELETE FROM finding WHERE id <> $1`, [id]);

    await dismissFinding({
      ctx: cm.ctx,
      id,
      input: dismissFindingInput.parse({
        type: "risk_accepted",
        reason: "Break-glass account, compensating review",
        expiresAt: inDays(30),
      }),
    });
    let f = (await getFinding({ id }))!;
    expect(f).toMatchObject({
      status: "dismissed",
      dismissalType: "risk_accepted",
      disposition: "pending_approval",
      dismissedBy: cm.email,
    });
    // Awaiting approval: still an open finding against its controls.
    expect(await ruleItem("PR.AA-05")).toMatchObject({ status: "gap", openFindings: 1, exceptions: 0 });
    expect((await listFindings({ status: "open" })).items).toHaveLength(0);
    expect((await listFindings({ status: "pending_approval" })).items.map((x) => x.id)).toEqual([id]);
    expect(await listExceptions()).toEqual([]);

    // The person who accepted the risk cannot approve it.
    await expectAppError(
      approveRiskAcceptance({ ctx: cm.ctx, id, input: findingReasonInput.parse({ reason: "Looks fine to me" }) }),
      "FORBIDDEN",
      /cannot approve it/,
    );
    await approveRiskAcceptance({ ctx: admin.ctx, id, input: findingReasonInput.parse({ reason: "Reviewed the compensating control" }) });
    await expectAppError(
      approveRiskAcceptance({ ctx: admin.ctx, id, input: findingReasonInput.parse({ reason: "Once more please" }) }),
      "CONFLICT",
      /already approved/,
    );
    f = (await getFinding({ id }))!;
    expect(f).toMatchObject({ disposition: "exception", riskApprovedBy: admin.email });
    expect(f.history.map((h) => h.action)).toEqual(["dismissed", "approved"]);

    const exceptions = await listExceptions();
    expect(exceptions).toHaveLength(1);
    expect(exceptions[0]).toMatchObject({
      id,
      acceptedBy: cm.email,
      approvedBy: admin.email,
      reason: "Break-glass account, compensating review",
    });
    expect(exceptions[0].expiresAt.slice(0, 10)).toBe(inDays(30));
    // An exception is not open, and not evidence: the control is not sufficient while it runs.
    const item = await ruleItem("PR.AA-05");
    expect(item).toMatchObject({ status: "partial", openFindings: 0, exceptions: 1 });
    const aa05 = (await getFrameworkStatus({ framework: "nist-csf-2.0" })).controls.find((c) => c.id === "PR.AA-05")!;
    expect(aa05.status).not.toBe("sufficient");
    // The unapproved action stays in the approval population, as failing.
    const ms = await measureEvidence();
    expect(ms.facts["governance:approval"].population).toMatchObject({ numerator: 0 });

    // After its expiry it counts as open again.
    const later = new Date(now.getTime() + 31 * DAY);
    expect((await measureEvidence({ now: later })).rules.get("privileged-without-approval")).toMatchObject({ open: 1, exceptions: 0 });
    expect(await listExceptions({ now: later })).toEqual([]);
    await pool().query(`UPDATE finding SET "riskExpiresAt" = now() - interval '1 day' WHERE id = $1`, [id]);
    expect((await getFinding({ id }))?.disposition).toBe("expired");
  });

  it("a false positive leaves the population; a risk acceptance does not", async () => {
    await pool().query(`DELETE FROM finding_activity`);
    await pool().query(`DELETE FROM finding`);
    await pool().query(`DELETE FROM governance_check`);
    const a = await unapprovedAction();
    const b = await unapprovedAction();
    const { ctx } = await seedUser("analyst");
    let pop = (await measureEvidence()).facts["governance:approval"].population;
    expect([pop.numerator, pop.denominator]).toEqual([0, 2]);

    await dismissFinding({
      ctx,
      id: a.findingId,
      input: dismissFindingInput.parse({ type: "false_positive", reason: "Not a privileged action: read-only role" }),
    });
    pop = (await measureEvidence()).facts["governance:approval"].population;
    expect([pop.numerator, pop.denominator]).toEqual([0, 1]);
    expect((await ruleItem("PR.AA-05")).openFindings).toBe(1);

    await dismissFinding({
      ctx,
      id: b.findingId,
      input: dismissFindingInput.parse({ type: "risk_accepted", reason: "Accepted for the migration", expiresAt: inDays(10) }),
    });
    pop = (await measureEvidence()).facts["governance:approval"].population;
    expect([pop.numerator, pop.denominator]).toEqual([0, 1]);
    expect((await listFindings({ status: "false_positive" })).items.map((x) => x.id)).toEqual([a.findingId]);
  });
});
