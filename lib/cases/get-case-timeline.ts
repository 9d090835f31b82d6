import { pool } from "@/lib/db";
import { param, sql } from "@/lib/db/sql";
import { platformLabel } from "@/lib/sessions/words";
import { citedEventsCte } from "./cited-events";
import { UUID } from "./shared";
import type { CaseTimeline, TimelineEntry } from "./types";
import { DEFAULT_TENANT } from "@/lib/context/request-context";

const BIGINT = /^[1-9][0-9]{0,18}$/;
const HANDLING_SHOWN = 2000;

const ACTION_LABEL: Record<string, string> = {
  created: "Case opened",
  updated: "Case details changed",
  status_changed: "Status changed",
  item_added: "Evidence added",
  item_annotated: "Annotation changed",
  item_removed: "Evidence removed",
  note_added: "Note added",
  note_updated: "Note edited",
  task_added: "Task added",
  task_updated: "Task changed",
  exported: "Evidence package exported",
  export_failed: "Evidence export failed",
  report_downloaded: "Case report downloaded",
  hold_placed: "Legal hold placed",
  hold_released: "Legal hold released",
  viewed: "Case viewed",
};

// The case timeline: two kinds of time on one axis, kept apart by `lane`.
//   evidence  event time: the events of cited sessions, cited events and the events behind cited findings
//             (deduplicated), oldest first, paged (at most 2,000 per page) with the total, so a session of a
//             million events costs one indexed page and one count, never a full load;
//   handling  discovery and handling time: the case's own history (case_activity).
// Returns null when the case does not exist.
export async function getCaseTimeline({
  caseId,
  evidenceOffset = 0,
  evidenceLimit = 2000,
}: {
  caseId: string;
  evidenceOffset?: number;
  evidenceLimit?: number;
}): Promise<CaseTimeline | null> {
  if (!UUID.test(caseId)) return null;
  const c = pool();
  const found = await c.query<{ id: string }>(sql`SELECT id FROM "case" WHERE id = ${caseId}::uuid AND "tenantId" = ${DEFAULT_TENANT}`);
  if (found.rowCount === 0) return null;
  const items = await c.query<{ itemType: string; refId: string }>(
    sql`SELECT "itemType", "refId" FROM case_item WHERE "caseId" = ${caseId}::uuid`,
  );
  const of = (t: string, re: RegExp) => items.rows.filter((i) => i.itemType === t && re.test(i.refId)).map((i) => i.refId);
  const sessionIds = of("session", UUID);
  const eventIds = of("event", BIGINT);
  const findingIds = of("finding", UUID);
  const limit = Math.min(Math.max(1, evidenceLimit), 2000);
  const offset = Math.max(0, evidenceOffset);

  const tenant = param(DEFAULT_TENANT);
  const cited = citedEventsCte({ sessionIds, eventIds, findingIds });
  const [evidence, count, handling, handlingCount] = await Promise.all([
    c.query<{
      id: string;
      time: Date;
      platform: string;
      activity: string;
      eventName: string | null;
      actorName: string | null;
      targetName: string | null;
      sessionId: string | null;
    }>(
      sql`WITH ${cited}
       SELECT e.id::text AS id, e.time, e.platform, e.activity, COALESCE(e."eventName", e.data->>'event_name') AS "eventName", e."actorName", e."targetName", e."sessionId"
         FROM event e JOIN cited ON cited.id = e.id
        WHERE e."tenantId" = ${tenant}
        ORDER BY e.time, e.id
        OFFSET ${offset} LIMIT ${limit}`,
    ),
    c.query<{ n: string }>(
      sql`WITH ${cited} SELECT count(*) AS n FROM event e JOIN cited ON cited.id = e.id WHERE e."tenantId" = ${tenant}`,
    ),
    c.query<{ id: string; at: Date; action: string; email: string | null; name: string | null }>(
      sql`SELECT a.id::text AS id, a.at, a.action, COALESCE(u.email, a."actorLabel") AS email, u.name
         FROM case_activity a LEFT JOIN app_user u ON u.id = a."actorId"
        WHERE a."caseId" = ${caseId}::uuid ORDER BY a.at, a.id LIMIT ${HANDLING_SHOWN}`,
    ),
    c.query<{ n: string }>(sql`SELECT count(*) AS n FROM case_activity WHERE "caseId" = ${caseId}::uuid`),
  ]);

  const entries: TimelineEntry[] = [
    ...evidence.rows.map((e): TimelineEntry => ({
      lane: "evidence",
      at: e.time.toISOString(),
      id: e.id,
      label: e.eventName ?? e.activity,
      detail: `${platformLabel(e.platform)} · ${e.activity}${e.actorName ? ` by ${e.actorName}` : ""}${e.targetName ? ` on ${e.targetName}` : ""}`,
      href: e.sessionId ? `/sessions/${e.sessionId}` : null,
    })),
    ...handling.rows.map((a): TimelineEntry => ({
      lane: "handling",
      at: a.at.toISOString(),
      id: a.id,
      label: ACTION_LABEL[a.action] ?? a.action,
      detail: `by ${a.name ?? a.email ?? "a deleted user"}`,
      href: null,
    })),
  ];
  // One axis: by time, and at the same instant evidence before handling (it happened before anyone acted on it).
  entries.sort((x, y) => (x.at < y.at ? -1 : x.at > y.at ? 1 : x.lane === y.lane ? 0 : x.lane === "evidence" ? -1 : 1));
  return {
    entries,
    evidence: { total: Number(count.rows[0].n), offset, limit, shown: evidence.rows.length },
    handling: { total: Number(handlingCount.rows[0].n), shown: handling.rows.length },
  };
}
