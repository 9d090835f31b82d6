import { pool } from "@/lib/db";
import { identityRef } from "./sql";
import type { IdentityDetail, IdentityKind } from "./types";
import { DEFAULT_TENANT } from "@/lib/context/request-context";

// One identity: its aliases on each platform with the rule that merged each one and the evidence it used, its
// owner and owned NHIs, its sessions across platforms (per-platform counts plus the most recent sessions), and
// its credentials with their parent edges and how many sessions used each. Null when there is no such identity.

const RECENT_SESSIONS = 500;

export async function getIdentity({ id }: { id: string }): Promise<IdentityDetail | null> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return null;
  const c = pool();
  const i = (
    await c.query<{
      id: string;
      kind: IdentityKind;
      displayName: string;
      primaryEmail: string | null;
      firstSeenAt: Date | null;
      lastSeenAt: Date | null;
      oId: string | null;
      oKind: string | null;
      oName: string | null;
      oEmail: string | null;
    }>(
      `SELECT i.id, i.kind::text AS kind, i."displayName", i."primaryEmail", i."firstSeenAt", i."lastSeenAt",
              o.id AS "oId", o.kind::text AS "oKind", o."displayName" AS "oName", o."primaryEmail" AS "oEmail"
         FROM identity i LEFT JOIN identity o ON o.id = i."ownerIdentityId"
        WHERE i.id = $1 AND i."tenantId" = $2`,
      [id, DEFAULT_TENANT],
    )
  ).rows[0];
  if (!i) return null;

  const [aliases, owned, byPlatform, recent, credentials] = await Promise.all([
    c.query<{ platform: string; aliasType: string; externalId: string; rule: string | null; evidence: Record<string, unknown> | null }>(
      `SELECT platform, "aliasType", "externalId", rule, evidence FROM identity_alias WHERE "identityId" = $1
        ORDER BY (rule = 'first_seen') DESC, platform, "aliasType", "externalId"`,
      [id],
    ),
    c.query<{ id: string; kind: string; name: string; email: string | null }>(
      `SELECT id, kind::text AS kind, "displayName" AS name, "primaryEmail" AS email FROM identity WHERE "ownerIdentityId" = $1 ORDER BY "displayName"`,
      [id],
    ),
    c.query<{ platform: string; sessions: number; events: number; firstAt: Date; lastAt: Date }>(
      `SELECT platform, count(*)::int AS sessions, sum("eventCount")::int AS events, min("startedAt") AS "firstAt", max("endedAt") AS "lastAt"
         FROM session WHERE "identityId" = $1 GROUP BY platform ORDER BY count(*) DESC, platform`,
      [id],
    ),
    c.query<{ id: string; platform: string; startedAt: Date; endedAt: Date; eventCount: number; actions: string[] | null; links: number }>(
      `SELECT s.id, s.platform, s."startedAt", s."endedAt", s."eventCount", s.summary->'actions' AS actions,
              ((SELECT count(*) FROM session_link l WHERE l."fromSessionId" = s.id)
                + (SELECT count(*) FROM session_link l WHERE l."toSessionId" = s.id))::int AS links
         FROM session s WHERE s."identityId" = $1 ORDER BY s."startedAt" DESC, s.id LIMIT ${RECENT_SESSIONS}`,
      [id],
    ),
    c.query<{
      id: string;
      kind: string;
      platform: string;
      externalId: string;
      parentId: string | null;
      parentRule: string | null;
      firstSeenAt: Date | null;
      lastUsedAt: Date | null;
      sessions: number;
    }>(
      `SELECT c.id, c.kind::text AS kind, c.platform, c."externalId", c."parentId", c."parentRule", c."firstSeenAt", c."lastUsedAt",
              (SELECT count(*) FROM session s WHERE s."credentialId" = c.id)::int AS sessions
         FROM credential c WHERE c."identityId" = $1 ORDER BY c."firstSeenAt" NULLS LAST, c.platform, c."externalId"`,
      [id],
    ),
  ]);
  const sessionTotal = byPlatform.rows.reduce((a, r) => a + r.sessions, 0);
  return {
    id: i.id,
    kind: i.kind,
    displayName: i.displayName,
    primaryEmail: i.primaryEmail,
    platforms: [...new Set(aliases.rows.map((a) => a.platform))].sort(),
    aliases: aliases.rows.length,
    sessions: sessionTotal,
    firstSeenAt: i.firstSeenAt?.toISOString() ?? null,
    lastSeenAt: i.lastSeenAt?.toISOString() ?? null,
    owner: identityRef(i.oId, i.oKind, i.oName, i.oEmail),
    owned: owned.rows.map((o) => identityRef(o.id, o.kind, o.name, o.email)!),
    aliasList: aliases.rows,
    sessionsByPlatform: byPlatform.rows.map((r) => ({ ...r, firstAt: r.firstAt.toISOString(), lastAt: r.lastAt.toISOString() })),
    recentSessions: recent.rows.map((r) => ({
      id: r.id,
      platform: r.platform,
      startedAt: r.startedAt.toISOString(),
      endedAt: r.endedAt.toISOString(),
      eventCount: r.eventCount,
      actions: r.actions ?? [],
      links: r.links,
    })),
    credentials: credentials.rows.map((c) => ({
      ...c,
      firstSeenAt: c.firstSeenAt?.toISOString() ?? null,
      lastUsedAt: c.lastUsedAt?.toISOString() ?? null,
    })),
  };
}
