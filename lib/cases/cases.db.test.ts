import { beforeAll, describe, expect, it, vi } from "vitest";
import { db, pool } from "@/lib/db";
import { expectAppError, seedCorrelated, seedUser } from "@/test/factories";
import { addCaseItem } from "./add-case-item";
import { addNote } from "./add-note";
import { addTask } from "./add-task";
import { createCase } from "./create-case";
import { getCase } from "./get-case";
import { getCaseTimeline } from "./get-case-timeline";
import { listCases } from "./list-cases";
import { removeCaseItem } from "./remove-case-item";
import { updateCase } from "./update-case";
import { updateItemAnnotation } from "./update-item-annotation";
import { updateNote } from "./update-note";
import { updateTask } from "./update-task";
import { addItemInput, annotationInput, createCaseInput, noteInput, taskInput, updateCaseInput, updateTaskInput } from "./types";
import { fromSessionUser, type RequestContext } from "@/lib/context/request-context";

// A switch to make the audit write fail AFTER it has written its row, inside the change's transaction: the
// proof that a change, its case_activity and its audit_log entry commit together or not at all.
const failAudit = vi.hoisted(() => ({ on: false }));
vi.mock("@/lib/audit/record-audit", async (importOriginal) => {
  const real = await importOriginal<typeof import("@/lib/audit/record-audit")>();
  return {
    ...real,
    recordAudit: async (...args: Parameters<typeof real.recordAudit>) => {
      await real.recordAudit(...args);
      if (failAudit.on) throw new Error("forced failure after the audit write");
    },
  };
});

let analyst: RequestContext;
let analyst2: RequestContext;
let auditorId: string;
let sessionId: string;
let sessionEvents: number;
let eventId: string;
let identityId: string;
let findingId: string;
let findingEventIds: bigint[];
let credentialId: string;

const counts = async (caseId: string) => {
  const r = await pool().query<{ a: string; l: string }>(
    `SELECT (SELECT count(*) FROM case_activity WHERE "caseId" = $1::uuid) AS a,
            (SELECT count(*) FROM audit_log WHERE action = 'case.changed' AND "resourceType" = 'case' AND "resourceId" = $2) AS l`,
    [caseId, caseId],
  );
  return { activity: Number(r.rows[0].a), audit: Number(r.rows[0].l) };
};
const lastActivity = (caseId: string) => db().caseActivity.findFirstOrThrow({ where: { caseId }, orderBy: { id: "desc" } });
const lastAudit = (caseId: string) =>
  db().auditLog.findFirstOrThrow({ where: { resourceType: "case", resourceId: caseId }, orderBy: { id: "desc" } });

beforeAll(async () => {
  await seedCorrelated([["aws-cloudtrail", "111122223333_CloudTrail_eu-west-1_20250304T1315Z_AbCdEfGh12345678.json"]]);
  const a = await seedUser("analyst", "ana@example.test", "Ana Analyst");
  const b = await seedUser("analyst", "ben@example.test", "Ben Analyst");
  auditorId = (await seedUser("auditor", "aud@example.test")).id;
  analyst = fromSessionUser({ id: a.id, email: a.email, role: "analyst", ip: "10.0.0.1", userAgent: "vitest" });
  analyst2 = fromSessionUser({ id: b.id, email: b.email, role: "analyst" });

  const s = await pool().query<{ id: string; eventCount: number; identityId: string; credentialId: string | null }>(
    `SELECT id, "eventCount", "identityId", "credentialId" FROM session WHERE "eventCount" >= 3 AND "identityId" IS NOT NULL ORDER BY "eventCount" DESC, id LIMIT 1`,
  );
  sessionId = s.rows[0].id;
  sessionEvents = s.rows[0].eventCount;
  identityId = s.rows[0].identityId;
  const cred = await pool().query<{ id: string }>(`SELECT id FROM credential ORDER BY id LIMIT 1`);
  credentialId = cred.rows[0].id;
  // An event outside that session, and a finding over two more events outside it (one shared with the cited event).
  const others = await pool().query<{ id: string }>(
    `SELECT id::text FROM event WHERE "sessionId" IS DISTINCT FROM $1::uuid ORDER BY time, id LIMIT 2`,
    [sessionId],
  );
  expect(others.rows.length).toBe(2);
  eventId = others.rows[0].id;
  findingEventIds = others.rows.map((r) => BigInt(r.id));
  const f = await db().finding.create({
    data: {
      ruleId: "test.rule",
      severity: "high",
      title: "Policy attached outside a change window",
      evidence: {},
      fingerprint: "test.rule:1",
      eventIds: findingEventIds,
      firstSeenAt: new Date("2025-03-04T13:15:00Z"),
      lastSeenAt: new Date("2025-03-04T13:16:00Z"),
    },
  });
  findingId = f.id;
});

describe("createCase and the status workflow", () => {
  it("creates an open case and records 'created' in case_activity and audit_log with who", async () => {
    const c = await createCase({
      ctx: analyst,
      input: createCaseInput.parse({ title: "  Token reuse ", severity: "high", tags: ["AWS", "aws", "tokens"] }),
    });
    expect(c.status).toBe("open");
    const row = await db().case.findUniqueOrThrow({ where: { id: c.id } });
    expect(row).toMatchObject({
      title: "Token reuse",
      severity: "high",
      tags: ["aws", "tokens"],
      createdById: analyst.actor.id,
      closedAt: null,
    });
    expect(await counts(c.id)).toEqual({ activity: 1, audit: 1 });
    const act = await lastActivity(c.id);
    expect(act).toMatchObject({ action: "created", actorId: analyst.actor.id, before: null });
    expect(act.after).toMatchObject({ title: "Token reuse", status: "open", severity: "high" });
    const audit = await lastAudit(c.id);
    expect(audit).toMatchObject({ action: "case.changed", actorId: analyst.actor.id, actorEmail: analyst.actor.email, ip: "10.0.0.1" });
    expect(audit.details).toMatchObject({ type: "case.changed", caseId: c.id, action: "created" });
  });

  it("walks open -> investigating -> pending_review -> closed -> reopen, each move with before/after", async () => {
    const c = await createCase({ ctx: analyst, input: createCaseInput.parse({ title: "Workflow" }) });
    const path = ["investigating", "pending_review", "closed", "investigating"] as const;
    let prev = "open";
    for (const to of path) {
      await updateCase({ ctx: analyst, caseId: c.id, input: updateCaseInput.parse({ status: to }) });
      const row = await db().case.findUniqueOrThrow({ where: { id: c.id } });
      expect(row.status).toBe(to);
      expect(row.closedAt === null).toBe(to !== "closed");
      const act = await lastActivity(c.id);
      expect(act).toMatchObject({ action: "status_changed", before: { status: prev }, after: { status: to } });
      expect((await lastAudit(c.id)).details).toMatchObject({ action: "status_changed", before: { status: prev }, after: { status: to } });
      prev = to;
    }
    expect(await counts(c.id)).toEqual({ activity: 5, audit: 5 });
    // closed -> open is the other allowed reopen
    await updateCase({ ctx: analyst, caseId: c.id, input: updateCaseInput.parse({ status: "pending_review" }) });
    await updateCase({ ctx: analyst, caseId: c.id, input: updateCaseInput.parse({ status: "closed" }) });
    await updateCase({ ctx: analyst, caseId: c.id, input: updateCaseInput.parse({ status: "open" }) });
    expect((await db().case.findUniqueOrThrow({ where: { id: c.id } })).status).toBe("open");
  });

  it("refuses illegal moves with the allowed ones in the message, and records nothing", async () => {
    const c = await createCase({ ctx: analyst, input: createCaseInput.parse({ title: "Illegal" }) });
    await expectAppError(
      updateCase({ ctx: analyst, caseId: c.id, input: updateCaseInput.parse({ status: "closed" }) }),
      "CONFLICT",
      /Open to Closed.*Investigating/,
    );
    await expectAppError(
      updateCase({ ctx: analyst, caseId: c.id, input: updateCaseInput.parse({ status: "pending_review" }) }),
      "CONFLICT",
    );
    await updateCase({ ctx: analyst, caseId: c.id, input: updateCaseInput.parse({ status: "investigating" }) });
    await expectAppError(
      updateCase({ ctx: analyst, caseId: c.id, input: updateCaseInput.parse({ status: "open" }) }),
      "CONFLICT",
      /Investigating to Open/,
    );
    await expectAppError(
      updateCase({ ctx: analyst, caseId: c.id, input: updateCaseInput.parse({ status: "closed", title: "renamed too" }) }),
      "CONFLICT",
    );
    const row = await db().case.findUniqueOrThrow({ where: { id: c.id } });
    expect(row).toMatchObject({ status: "investigating", title: "Illegal" });
    expect(await counts(c.id)).toEqual({ activity: 2, audit: 2 });
  });

  it("records only the fields that changed, before and after; assignee must be able to work cases", async () => {
    const c = await createCase({ ctx: analyst, input: createCaseInput.parse({ title: "Fields", severity: "low" }) });
    await updateCase({
      ctx: analyst,
      caseId: c.id,
      input: updateCaseInput.parse({ title: "Fields", severity: "critical", assigneeId: analyst2.actor.id, tags: ["x"] }),
    });
    const act = await lastActivity(c.id);
    expect(act.action).toBe("updated");
    expect(act.before).toEqual({ severity: "low", assigneeId: null, tags: [] });
    expect(act.after).toEqual({ severity: "critical", assigneeId: analyst2.actor.id, tags: ["x"] });
    await expectAppError(
      updateCase({ ctx: analyst, caseId: c.id, input: updateCaseInput.parse({ assigneeId: auditorId }) }),
      "VALIDATION",
      /cannot work cases/,
    );
    // no change: no entry
    const before = await counts(c.id);
    await updateCase({ ctx: analyst, caseId: c.id, input: updateCaseInput.parse({ severity: "critical" }) });
    expect(await counts(c.id)).toEqual(before);
    await expectAppError(
      updateCase({ ctx: analyst, caseId: "00000000-0000-4000-8000-000000000000", input: updateCaseInput.parse({ title: "x" }) }),
      "NOT_FOUND",
    );
  });
});

describe("atomicity", () => {
  it("a failure after the change inside the transaction leaves neither the change, its case_activity nor its audit_log", async () => {
    const c = await createCase({ ctx: analyst, input: createCaseInput.parse({ title: "Atomic", severity: "low" }) });
    const start = await counts(c.id);
    failAudit.on = true;
    try {
      await expect(
        updateCase({ ctx: analyst, caseId: c.id, input: updateCaseInput.parse({ severity: "critical", status: "investigating" }) }),
      ).rejects.toThrow(/forced failure/);
      await expect(addNote({ ctx: analyst, caseId: c.id, input: noteInput.parse({ body: "should vanish" }) })).rejects.toThrow(
        /forced failure/,
      );
      await expect(
        addCaseItem({ ctx: analyst, caseId: c.id, input: addItemInput.parse({ itemType: "session", refId: sessionId }) }),
      ).rejects.toThrow(/forced failure/);
      await expect(createCase({ ctx: analyst, input: createCaseInput.parse({ title: "Never created" }) })).rejects.toThrow(
        /forced failure/,
      );
    } finally {
      failAudit.on = false;
    }
    const row = await db().case.findUniqueOrThrow({ where: { id: c.id } });
    expect(row).toMatchObject({ severity: "low", status: "open" });
    expect(await db().caseNote.count({ where: { caseId: c.id } })).toBe(0);
    expect(await db().caseItem.count({ where: { caseId: c.id } })).toBe(0);
    expect(await counts(c.id)).toEqual(start);
    expect(await db().case.count({ where: { title: "Never created" } })).toBe(0);
    // and with the switch off the same change goes through, with both entries
    await updateCase({ ctx: analyst, caseId: c.id, input: updateCaseInput.parse({ severity: "critical" }) });
    expect(await counts(c.id)).toEqual({ activity: start.activity + 1, audit: start.audit + 1 });
  });
});

describe("evidence items", () => {
  it("adds one item of each type, resolves each to a description, and refuses unknown references and duplicates", async () => {
    const c = await createCase({ ctx: analyst, input: createCaseInput.parse({ title: "Evidence" }) });
    await addCaseItem({
      ctx: analyst,
      caseId: c.id,
      input: addItemInput.parse({ itemType: "session", refId: sessionId, annotation: "the admin session" }),
    });
    await addCaseItem({ ctx: analyst, caseId: c.id, input: addItemInput.parse({ itemType: "event", refId: eventId }) });
    await addCaseItem({ ctx: analyst, caseId: c.id, input: addItemInput.parse({ itemType: "identity", refId: identityId }) });
    await addCaseItem({ ctx: analyst, caseId: c.id, input: addItemInput.parse({ itemType: "finding", refId: findingId }) });
    const snap = await addCaseItem({
      ctx: analyst,
      caseId: c.id,
      input: addItemInput.parse({
        itemType: "lineage_snapshot",
        refId: credentialId,
        snapshot: { root: { type: "credential", id: credentialId }, depth: 6 },
      }),
    });
    expect(snap.refId).toMatch(new RegExp(`^credential:${credentialId}@[0-9a-f]{16}$`));

    const detail = (await getCase({ id: c.id }))!;
    const byType = Object.fromEntries(detail.items.map((i) => [i.itemType, i]));
    expect(Object.keys(byType).sort()).toEqual(["event", "finding", "identity", "lineage_snapshot", "session"]);
    expect(detail.items.every((i) => !i.missing)).toBe(true);

    const s = await pool().query(
      `SELECT s.platform, s."eventCount", i."displayName" FROM session s JOIN identity i ON i.id = s."identityId" WHERE s.id = $1`,
      [sessionId],
    );
    expect(byType.session.title).toBe(`AWS CloudTrail session of ${s.rows[0].displayName}`);
    expect(byType.session.detail).toContain(`${sessionEvents} events`);
    expect(byType.session).toMatchObject({
      href: `/sessions/${sessionId}`,
      annotation: "the admin session",
      addedBy: { id: analyst.actor.id },
    });
    const e = await pool().query(`SELECT activity FROM event WHERE id = $1`, [eventId]);
    expect(byType.event.detail).toContain(e.rows[0].activity);
    const i = await pool().query(`SELECT "displayName" FROM identity WHERE id = $1`, [identityId]);
    expect(byType.identity).toMatchObject({ title: i.rows[0].displayName, href: `/identities/${identityId}` });
    expect(byType.finding).toMatchObject({ title: "Policy attached outside a change window", href: `/findings/${findingId}` });
    expect(byType.finding.detail).toContain("high");
    const stored = await db().caseItem.findFirstOrThrow({ where: { caseId: c.id, itemType: "lineage_snapshot" } });
    const graph = stored.snapshot as { nodes: { id: string }[]; edges: unknown[] };
    expect(graph.nodes.some((n) => n.id === credentialId)).toBe(true);
    expect(byType.lineage_snapshot.detail).toContain(`${graph.nodes.length} nodes, ${graph.edges.length} edges`);

    // five additions: five item_added entries with what was added
    const added = await db().caseActivity.findMany({ where: { caseId: c.id, action: "item_added" } });
    expect(added.map((a) => (a.after as { itemType: string }).itemType).sort()).toEqual([
      "event",
      "finding",
      "identity",
      "lineage_snapshot",
      "session",
    ]);

    await expectAppError(
      addCaseItem({ ctx: analyst, caseId: c.id, input: addItemInput.parse({ itemType: "session", refId: sessionId }) }),
      "CONFLICT",
      /already in case/,
    );
    await expectAppError(
      addCaseItem({
        ctx: analyst,
        caseId: c.id,
        input: addItemInput.parse({ itemType: "session", refId: "00000000-0000-4000-8000-000000000000" }),
      }),
      "NOT_FOUND",
    );
    await expectAppError(
      addCaseItem({ ctx: analyst, caseId: c.id, input: addItemInput.parse({ itemType: "event", refId: "999999999" }) }),
      "NOT_FOUND",
    );
    await expectAppError(
      addCaseItem({ ctx: analyst, caseId: c.id, input: addItemInput.parse({ itemType: "identity", refId: "not-a-uuid" }) }),
      "NOT_FOUND",
    );
    await expectAppError(
      addCaseItem({
        ctx: analyst,
        caseId: c.id,
        input: addItemInput.parse({
          itemType: "lineage_snapshot",
          refId: "x",
          snapshot: { root: { type: "credential", id: "00000000-0000-4000-8000-000000000000" } },
        }),
      }),
      "NOT_FOUND",
    );
    expect(await db().caseItem.count({ where: { caseId: c.id } })).toBe(5);
  });

  it("edits an annotation and removes an item with before/after; a closed case takes no new evidence", async () => {
    const c = await createCase({ ctx: analyst, input: createCaseInput.parse({ title: "Annotate" }) });
    const item = await addCaseItem({
      ctx: analyst,
      caseId: c.id,
      input: addItemInput.parse({ itemType: "identity", refId: identityId, annotation: "first" }),
    });
    await updateItemAnnotation({ ctx: analyst2, caseId: c.id, itemId: item.id, input: annotationInput.parse({ annotation: "second" }) });
    let act = await lastActivity(c.id);
    expect(act).toMatchObject({
      action: "item_annotated",
      actorId: analyst2.actor.id,
      before: { annotation: "first" },
      after: { annotation: "second" },
    });
    await removeCaseItem({ ctx: analyst, caseId: c.id, itemId: item.id });
    act = await lastActivity(c.id);
    expect(act).toMatchObject({
      action: "item_removed",
      before: { itemType: "identity", refId: identityId, annotation: "second" },
      after: null,
    });
    expect(await db().caseItem.count({ where: { caseId: c.id } })).toBe(0);
    expect(await counts(c.id)).toEqual({ activity: 4, audit: 4 });
    for (const to of ["investigating", "pending_review", "closed"] as const)
      await updateCase({ ctx: analyst, caseId: c.id, input: updateCaseInput.parse({ status: to }) });
    await expectAppError(
      addCaseItem({ ctx: analyst, caseId: c.id, input: addItemInput.parse({ itemType: "identity", refId: identityId }) }),
      "CONFLICT",
      /closed/,
    );
  });
});

describe("notes and tasks", () => {
  it("adds and edits notes (author only) and tasks, each with before/after", async () => {
    const c = await createCase({ ctx: analyst, input: createCaseInput.parse({ title: "Notes" }) });
    const n = await addNote({ ctx: analyst, caseId: c.id, input: noteInput.parse({ body: "**bold** claim" }) });
    expect(await lastActivity(c.id)).toMatchObject({ action: "note_added", after: { body: "**bold** claim" } });
    await expectAppError(
      updateNote({ ctx: analyst2, caseId: c.id, noteId: n.id, input: noteInput.parse({ body: "hijack" }) }),
      "FORBIDDEN",
    );
    await updateNote({ ctx: analyst, caseId: c.id, noteId: n.id, input: noteInput.parse({ body: "**bold** claim, checked" }) });
    expect(await lastActivity(c.id)).toMatchObject({
      action: "note_updated",
      before: { body: "**bold** claim" },
      after: { body: "**bold** claim, checked" },
    });

    const t = await addTask({
      ctx: analyst,
      caseId: c.id,
      input: taskInput.parse({ title: "Ask the owner", assigneeId: analyst2.actor.id, dueAt: "2026-12-01" }),
    });
    await updateTask({ ctx: analyst2, caseId: c.id, taskId: t.id, input: updateTaskInput.parse({ done: true }) });
    const task = await db().caseTask.findUniqueOrThrow({ where: { id: t.id } });
    expect(task.done).toBe(true);
    expect(task.completedAt).not.toBeNull();
    expect(await lastActivity(c.id)).toMatchObject({ action: "task_updated", before: { done: false }, after: { done: true } });
    await updateTask({ ctx: analyst2, caseId: c.id, taskId: t.id, input: updateTaskInput.parse({ done: false, dueAt: null }) });
    expect((await db().caseTask.findUniqueOrThrow({ where: { id: t.id } })).completedAt).toBeNull();
    expect(await lastActivity(c.id)).toMatchObject({
      before: { done: true, dueAt: "2026-12-01T00:00:00.000Z" },
      after: { done: false, dueAt: null },
    });
    expect(await counts(c.id)).toEqual({ activity: 6, audit: 6 });

    const detail = (await getCase({ id: c.id }))!;
    expect(detail.notes.map((x) => x.body)).toEqual(["**bold** claim, checked"]);
    expect(detail.tasks[0]).toMatchObject({ title: "Ask the owner", done: false, assignee: { id: analyst2.actor.id } });
    expect(detail.activity.map((a) => a.action)).toEqual([
      "task_updated",
      "task_updated",
      "task_added",
      "note_updated",
      "note_added",
      "created",
    ]);
  });
});

describe("listCases", () => {
  it("filters by status list, severity, assignee, tag and text, sorts and pages", async () => {
    const mk = (title: string, severity: "low" | "critical", tags: string[], assigneeId?: string) =>
      createCase({ ctx: analyst, input: createCaseInput.parse({ title, severity, tags, assigneeId }) });
    const a = await mk("LIST alpha", "low", ["list"]);
    const b = await mk("LIST beta", "critical", ["list", "vip"], analyst2.actor.id!);
    const g = await mk("LIST gamma", "critical", ["list"]);
    await updateCase({ ctx: analyst, caseId: g.id, input: updateCaseInput.parse({ status: "investigating" }) });

    const ids = async (q: Parameters<typeof listCases>[0]) => (await listCases({ tag: "list", ...q })).items.map((x) => x.id);
    expect(await ids({ sort: "title", dir: "asc" })).toEqual([a.id, b.id, g.id]);
    expect(await ids({ severity: "critical", sort: "title", dir: "asc" })).toEqual([b.id, g.id]);
    expect(await ids({ status: ["investigating"] })).toEqual([g.id]);
    expect((await ids({ status: ["open", "investigating"] })).length).toBe(3);
    expect(await ids({ assignee: analyst2.actor.id! })).toEqual([b.id]);
    expect(await ids({ assignee: "none", sort: "title", dir: "asc" })).toEqual([a.id, g.id]);
    expect(await ids({ tag: "vip" })).toEqual([b.id]);
    expect(await ids({ q: "gAmMa" })).toEqual([g.id]);
    expect(await ids({ q: `#${b.number}`, tag: undefined })).toEqual([b.id]);
    const sev = await listCases({ tag: "list", sort: "severity", dir: "desc" });
    expect(sev.items.map((x) => x.severity)).toEqual(["critical", "critical", "low"]);
    const p1 = await listCases({ tag: "list", sort: "number", dir: "asc", limit: 2 });
    const p2 = await listCases({ tag: "list", sort: "number", dir: "asc", limit: 2, offset: 2 });
    expect(p1.total).toBe(3);
    expect([...p1.items, ...p2.items].map((x) => x.id)).toEqual([a.id, b.id, g.id]);
  });
});

describe("getCaseTimeline", () => {
  it("puts cited evidence (event time) and case activity (handling time) on one sorted axis, deduplicated and paged", async () => {
    const c = await createCase({ ctx: analyst, input: createCaseInput.parse({ title: "Timeline" }) });
    await addCaseItem({ ctx: analyst, caseId: c.id, input: addItemInput.parse({ itemType: "session", refId: sessionId }) });
    await addCaseItem({ ctx: analyst, caseId: c.id, input: addItemInput.parse({ itemType: "event", refId: eventId }) });
    await addCaseItem({ ctx: analyst, caseId: c.id, input: addItemInput.parse({ itemType: "finding", refId: findingId }) });
    await addCaseItem({ ctx: analyst, caseId: c.id, input: addItemInput.parse({ itemType: "identity", refId: identityId }) });
    await addNote({ ctx: analyst, caseId: c.id, input: noteInput.parse({ body: "n" }) });

    // Expected evidence computed independently: the session's events plus the finding's two events (the cited
    // event is one of them, so it counts once).
    const exp = await pool().query<{ id: string; time: Date }>(
      `SELECT id::text, time FROM event WHERE "sessionId" = $1::uuid OR id = ANY($2::bigint[]) ORDER BY time, id`,
      [sessionId, findingEventIds.map(String)],
    );
    expect(exp.rows.length).toBe(sessionEvents + 2);

    const t = (await getCaseTimeline({ caseId: c.id }))!;
    const ev = t.entries.filter((e) => e.lane === "evidence");
    const ha = t.entries.filter((e) => e.lane === "handling");
    expect(ev.map((e) => e.id)).toEqual(exp.rows.map((r) => r.id));
    expect(t.evidence).toEqual({ total: exp.rows.length, offset: 0, limit: 2000, shown: exp.rows.length });
    expect(ha.map((e) => e.label)).toEqual([
      "Case opened",
      "Evidence added",
      "Evidence added",
      "Evidence added",
      "Evidence added",
      "Note added",
    ]);
    expect(t.handling).toEqual({ total: 6, shown: 6 });
    const times = t.entries.map((e) => e.at);
    expect([...times].sort()).toEqual(times);
    // the fixture's events are from 2025; the case was handled now: every evidence point precedes every handling point
    expect(t.entries.findIndex((e) => e.lane === "handling")).toBe(ev.length);

    const page = (await getCaseTimeline({ caseId: c.id, evidenceOffset: 1, evidenceLimit: 2 }))!;
    expect(page.entries.filter((e) => e.lane === "evidence").map((e) => e.id)).toEqual(exp.rows.slice(1, 3).map((r) => r.id));
    expect(page.evidence).toEqual({ total: exp.rows.length, offset: 1, limit: 2, shown: 2 });

    expect(await getCaseTimeline({ caseId: "00000000-0000-4000-8000-000000000000" })).toBeNull();
  });
});
