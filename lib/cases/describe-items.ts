import { pool } from "@/lib/db";
import { kindLabel, platformLabel } from "@/lib/sessions/words";
import type { CaseItemType } from "./types";
import { DEFAULT_TENANT } from "@/lib/context/request-context";

// Short descriptions of cited evidence, resolved in one query per item type (not one per item): session
// platform / identity / time, event activity, identity name / kind, finding title / severity, lineage snapshot
// size. add-case-item uses the same lookup to refuse citing something that does not exist.

export type ItemRef = { itemType: CaseItemType | string; refId: string; snapshot?: unknown };
export type ItemDescription = { title: string; detail: string; href: string | null; at: string | null; missing: boolean };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const BIGINT = /^[1-9][0-9]{0,18}$/;

const key = (t: string, id: string) => `${t}:${id}`;
const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
const minute = (d: Date) => d.toISOString().slice(0, 16).replace("T", " ") + " UTC";

const MISSING: Record<string, string> = {
  session: "This session no longer exists; a later correlation run may have regrouped its events.",
  event: "This event no longer exists in the store.",
  identity: "This identity no longer exists; a later correlation run may have merged it.",
  finding: "This finding no longer exists.",
};

/** Describes each reference; the map is keyed `${itemType}:${refId}`. Unknown ids come back with missing: true. */
export async function describeItems({ refs }: { refs: ItemRef[] }): Promise<Map<string, ItemDescription>> {
  const out = new Map<string, ItemDescription>();
  const ids = (t: string, re: RegExp) => [...new Set(refs.filter((r) => r.itemType === t && re.test(r.refId)).map((r) => r.refId))];
  const c = pool();
  const sessionIds = ids("session", UUID);
  const eventIds = ids("event", BIGINT);
  const identityIds = ids("identity", UUID);
  const findingIds = ids("finding", UUID);

  const [sessions, events, identities, findings] = await Promise.all([
    sessionIds.length
      ? c.query<{
          id: string;
          platform: string;
          startedAt: Date;
          endedAt: Date;
          eventCount: number;
          name: string | null;
          kind: string | null;
        }>(
          `SELECT s.id, s.platform, s."startedAt", s."endedAt", s."eventCount", i."displayName" AS name, i.kind::text AS kind
             FROM session s LEFT JOIN identity i ON i.id = s."identityId"
            WHERE s.id = ANY($1::uuid[]) AND s."tenantId" = $2`,
          [sessionIds, DEFAULT_TENANT],
        )
      : null,
    eventIds.length
      ? c.query<{
          id: string;
          platform: string;
          time: Date;
          activity: string;
          eventName: string | null;
          actorName: string | null;
          targetName: string | null;
          sessionId: string | null;
        }>(
          `SELECT e.id::text AS id, e.platform, e.time, e.activity, COALESCE(e."eventName", e.data->>'event_name') AS "eventName", e."actorName", e."targetName", e."sessionId"
             FROM event e WHERE e.id = ANY($1::bigint[]) AND e."tenantId" = $2`,
          [eventIds, DEFAULT_TENANT],
        )
      : null,
    identityIds.length
      ? c.query<{ id: string; kind: string; displayName: string; primaryEmail: string | null; firstSeenAt: Date | null }>(
          `SELECT id, kind::text AS kind, "displayName", "primaryEmail", "firstSeenAt" FROM identity WHERE id = ANY($1::uuid[]) AND "tenantId" = $2`,
          [identityIds, DEFAULT_TENANT],
        )
      : null,
    findingIds.length
      ? c.query<{ id: string; title: string; severity: string; status: string; firstSeenAt: Date; sessionId: string | null }>(
          `SELECT id, title, severity, status, "firstSeenAt", "sessionId" FROM finding WHERE id = ANY($1::uuid[]) AND "tenantId" = $2`,
          [findingIds, DEFAULT_TENANT],
        )
      : null,
  ]);

  for (const s of sessions?.rows ?? []) {
    out.set(key("session", s.id), {
      title: `${platformLabel(s.platform)} session of ${s.name ?? "an unknown identity"}`,
      detail: `${minute(s.startedAt)} – ${minute(s.endedAt)} · ${s.eventCount.toLocaleString("en-US")} events${s.kind ? ` · ${kindLabel(s.kind)}` : ""}`,
      href: `/sessions/${s.id}`,
      at: iso(s.startedAt),
      missing: false,
    });
  }
  for (const e of events?.rows ?? []) {
    out.set(key("event", e.id), {
      title: `${e.eventName ?? e.activity} (${platformLabel(e.platform)})`,
      detail: `${minute(e.time)} · ${e.activity}${e.actorName ? ` by ${e.actorName}` : ""}${e.targetName ? ` on ${e.targetName}` : ""}`,
      href: e.sessionId ? `/sessions/${e.sessionId}` : null,
      at: iso(e.time),
      missing: false,
    });
  }
  for (const i of identities?.rows ?? []) {
    out.set(key("identity", i.id), {
      title: i.displayName,
      detail: `${kindLabel(i.kind)}${i.primaryEmail ? ` · ${i.primaryEmail}` : ""}`,
      href: `/identities/${i.id}`,
      at: iso(i.firstSeenAt),
      missing: false,
    });
  }
  for (const f of findings?.rows ?? []) {
    out.set(key("finding", f.id), {
      title: f.title,
      detail: `${f.severity} severity · ${f.status}`,
      href: `/findings/${f.id}`,
      at: iso(f.firstSeenAt),
      missing: false,
    });
  }
  for (const r of refs) {
    if (r.itemType !== "lineage_snapshot") continue;
    const snap = (r.snapshot ?? {}) as {
      nodes?: unknown[];
      edges?: unknown[];
      takenAt?: string;
      rootLabel?: string;
      root?: { type?: string };
    };
    const nodes = Array.isArray(snap.nodes) ? snap.nodes.length : 0;
    const edges = Array.isArray(snap.edges) ? snap.edges.length : 0;
    out.set(key("lineage_snapshot", r.refId), {
      title: `Lineage of ${snap.rootLabel ?? snap.root?.type ?? "a credential"}`,
      detail: `${nodes.toLocaleString("en-US")} nodes, ${edges.toLocaleString("en-US")} edges${snap.takenAt ? ` · snapshot taken ${minute(new Date(snap.takenAt))}` : ""}`,
      href: null,
      at: snap.takenAt ?? null,
      missing: false,
    });
  }
  for (const r of refs) {
    const k = key(r.itemType, r.refId);
    if (!out.has(k))
      out.set(k, {
        title: `${r.itemType} ${r.refId}`,
        detail: MISSING[r.itemType] ?? "No longer exists.",
        href: null,
        at: null,
        missing: true,
      });
  }
  return out;
}

export const itemKey = key;
