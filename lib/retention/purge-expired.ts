import { db } from "@/lib/db";
import { sql } from "@/lib/db/sql";
import { withTransaction } from "@/lib/db/transaction";
import { insertAudit } from "@/lib/audit/insert-audit";
import { auditRow } from "@/lib/audit/record-audit";
import { flushAuditToLedger } from "@/lib/audit/flush-audit-to-ledger";
import { AppError } from "@/lib/errors";
import { actorUserId, type RequestContext } from "@/lib/context/request-context";
import { PURGE_LOCK, RETENTION_JOB_TYPE, type PurgeJobView, type PurgeResult, type PurgeSourceResult } from "./types";

// The retention purge. For every source with a policy, a raw record expires when its age passes the policy's
// days. Age counts from the record's newest event time (retention is about when things happened; a backfill
// of old logs ingested today is already old), or from receivedAt for a record without events. An expired
// record under an active legal hold is skipped and counted as held; any other has its payload cleared
// (payload NULL, purgedAt set: the only change the raw_record trigger allows). Its content and leaf hashes stay,
// so the Merkle tree and every signed checkpoint still verify (verifyLedger counts it as purged).
//
// What remains after a purge: the leaf (hashes, position, file name, receivedAt) and the normalized event rows
// (their columns and `data`), which sessions, timelines and findings are built from. The vendor's original bytes
// are gone: proofs of inclusion still work, but the original can no longer be shown or exported. Keeping `data`
// is a decision, not an omission: the correlation engine re-reads it on every full run, so clearing it would
// change the sessions cases cite (docs/architecture.md, Retention, gives the reasons and the consequences).
//
// A purge is one transaction: the cleared payloads, the job's result and the retention.purged audit entry commit
// together or not at all, so the audit trail never misses a purge and never shows one that did not happen. Inside
// it the job walks the raw_record id space in chunks (a primary-key range scan each, so that no statement grows
// with the store), with progress in the job row (written on another connection, so it shows while the purge
// runs). Which records of a chunk are held is asked of the database (sessionproof_held_raw_records, the definition
// the raw_record trigger enforces: a purge statement that clears a held payload is refused, whoever sends it); the
// purge holds PURGE_LOCK until it commits and placeHold waits for it, so no hold can appear mid-run. The audit entry
// names who purged, as of when, and each source's policy (id, days, last change), and the purge flushes it into
// the ledger before it returns.

const CHUNK = 5000;

export type PurgeOptions = { ctx: RequestContext; now?: Date; jobId?: string; chunkSize?: number };

/** Creates the job row and runs the purge in the background; the caller polls the job (getPurgeJob). */
export async function startPurge({ ctx }: { ctx: RequestContext }): Promise<{ jobId: string }> {
  const running = await db().job.findFirst({
    where: { type: RETENTION_JOB_TYPE, status: { in: ["queued", "running"] }, createdAt: { gt: new Date(Date.now() - 6 * 3600_000) } },
  });
  if (running) throw new AppError("CONFLICT", "A purge is already running. Watch its progress on the Retention page.");
  const job = await db().job.create({ data: { type: RETENTION_JOB_TYPE, status: "queued", createdById: actorUserId(ctx), params: {} } });
  void purgeExpired({ ctx, jobId: job.id }).catch((err: Error) => console.error("[retention] purge failed:", err.message));
  return { jobId: job.id };
}

export async function purgeExpired({ ctx, now = new Date(), jobId, chunkSize = CHUNK }: PurgeOptions): Promise<PurgeResult> {
  const job = jobId
    ? await db().job.findUniqueOrThrow({ where: { id: jobId } })
    : await db().job.create({ data: { type: RETENTION_JOB_TYPE, status: "queued", createdById: actorUserId(ctx), params: {} } });
  try {
    return await withTransaction(
      async (client) => {
        await db().job.update({
          where: { id: job.id },
          data: { status: "running", startedAt: new Date(), params: { now: now.toISOString() } },
        });
        const policies = (
          await client.query<{
            sourceId: string;
            policyId: string;
            days: number;
            updatedAt: Date;
            updatedById: string | null;
            cutoff: Date;
          }>(
            sql`SELECT p."sourceId"::text AS "sourceId", p.id::text AS "policyId", p.days, p."updatedAt", p."updatedById"::text AS "updatedById",
                       ${now}::timestamptz - make_interval(days => p.days) AS cutoff
                  FROM retention_policy p ORDER BY p."sourceId"`,
          )
        ).rows;
        const bySource = new Map<string, PurgeSourceResult>(
          policies.map((p) => [p.sourceId, { sourceId: p.sourceId, days: p.days, cutoff: p.cutoff.toISOString(), purged: 0, held: 0 }]),
        );
        if (policies.length > 0) {
          const max = Number((await client.query<{ m: string }>(`SELECT COALESCE(max(id), 0)::text AS m FROM raw_record`)).rows[0].m);
          for (let from = 0; from < max; from += chunkSize) {
            const to = Math.min(from + chunkSize, max);
            // Which expired records are held is asked of the database's own definition, for this chunk's records
            // (the raw_record trigger asks the same after the UPDATE and refuses the statement if one was held).
            const r = await client.query<{ sourceId: string; purged: string; held: string }>(
              sql`WITH expired AS MATERIALIZED (
                 SELECT r.id, r."sourceId"
                   FROM raw_record r
                   JOIN retention_policy p ON p."sourceId" = r."sourceId"
                   LEFT JOIN LATERAL (SELECT max(e.time) AS t FROM event e WHERE e."rawRecordId" = r.id) ev ON true
                  WHERE r.id > ${from} AND r.id <= ${to} AND r."purgedAt" IS NULL
                    AND COALESCE(ev.t, r."receivedAt") < ${now}::timestamptz - make_interval(days => p.days)
               ), held AS MATERIALIZED (
                 SELECT DISTINCT h."rawRecordId" AS id FROM sessionproof_held_raw_records(ARRAY(SELECT id FROM expired)) h
               ), x AS (
                 SELECT e.id, e."sourceId", e.id IN (SELECT id FROM held) AS held FROM expired e
               ), done AS (
                 UPDATE raw_record r SET payload = NULL, "purgedAt" = now()
                   FROM x WHERE r.id = x.id AND NOT x.held
                 RETURNING r.id
               )
               SELECT x."sourceId"::text AS "sourceId",
                      count(*) FILTER (WHERE NOT x.held)::text AS purged, count(*) FILTER (WHERE x.held)::text AS held
                 FROM x GROUP BY x."sourceId"`,
            );
            for (const row of r.rows) {
              const s = bySource.get(row.sourceId);
              if (s) {
                s.purged += Number(row.purged);
                s.held += Number(row.held);
              }
            }
            await db().job.update({ where: { id: job.id }, data: { progress: to / max } });
          }
        }
        const sources = [...bySource.values()];
        const result: PurgeResult = {
          jobId: job.id,
          purged: sources.reduce((a, s) => a + s.purged, 0),
          held: sources.reduce((a, s) => a + s.held, 0),
          sources,
        };
        // The audit entry says under which policy each source was purged: the policy row and its last change, so
        // that the entry in the ledger names it even after the policy is changed or removed.
        const policyOf = new Map(policies.map((p) => [p.sourceId, p]));
        const auditSources = sources.map((s) => {
          const p = policyOf.get(s.sourceId)!;
          return { ...s, policyId: p.policyId, policyUpdatedAt: p.updatedAt.toISOString(), policyUpdatedById: p.updatedById };
        });
        await insertAudit(
          client,
          auditRow(
            ctx,
            {
              type: "retention.purged",
              jobId: job.id,
              asOf: now.toISOString(),
              purged: result.purged,
              held: result.held,
              sources: auditSources,
            },
            "job",
            job.id,
          ),
        );
        await client.query(
          sql`UPDATE job SET status = 'succeeded', progress = 1, "finishedAt" = clock_timestamp(), result = ${JSON.stringify(result)}::jsonb,
                 message = ${`${result.purged} payload(s) purged, ${result.held} kept under a legal hold`}
               WHERE id = ${job.id}::uuid`,
        );
        return result;
      },
      { lock: PURGE_LOCK },
    );
  } catch (err) {
    await db()
      .job.update({ where: { id: job.id }, data: { status: "failed", finishedAt: new Date(), message: (err as Error).message } })
      .catch(() => undefined);
    throw err;
  } finally {
    // The purge's own audit entry goes to the ledger now, not at the next debounce.
    await flushAuditToLedger().catch(() => undefined);
  }
}

export type { PurgeJobView } from "./types";

/** A purge job as the Retention page polls it. */
export async function getPurgeJob({ id }: { id: string }): Promise<PurgeJobView | null> {
  const j = await db().job.findFirst({ where: { id, type: RETENTION_JOB_TYPE } });
  if (!j) return null;
  return {
    id: j.id,
    status: j.status,
    progress: j.progress,
    message: j.message,
    result: (j.result as PurgeResult | null) ?? null,
    createdAt: j.createdAt.toISOString(),
    finishedAt: j.finishedAt?.toISOString() ?? null,
  };
}

/** The latest purge run, for the Retention page. */
export async function latestPurgeJob(): Promise<PurgeJobView | null> {
  const j = await db().job.findFirst({ where: { type: RETENTION_JOB_TYPE }, orderBy: { createdAt: "desc" } });
  return j ? getPurgeJob({ id: j.id }) : null;
}
