import Link from "next/link";
import { requirePage } from "@/lib/auth/guard";
import { can } from "@/lib/auth/permissions";
import { listRetention } from "@/lib/retention/list-retention";
import { listHolds } from "@/lib/retention/list-holds";
import { latestPurgeJob } from "@/lib/retention/purge-expired";
import { platformLabel } from "@/lib/sessions/words";
import { EmptyState, PageHeader } from "@/components/empty-state";
import { PlaceHoldForm, ReleaseHoldButton } from "@/components/legal-hold-actions";
import { PurgeRunner, RetentionDaysForm } from "./retention-controls";
import { Time } from "@/components/time";

export const metadata = { title: "Retention" };

// Retention per source and legal holds: what is kept how long, what is held and why. Everyone can read it (it
// tells an investigator whether the original bytes of a record still exist); only admins change it.
export default async function RetentionPage() {
  const user = await requirePage("/retention");
  const admin = can(user.role, "holds.manage");
  const [sources, holds, lastPurge] = await Promise.all([listRetention(), listHolds(), latestPurgeJob()]);
  const active = holds.filter((h) => h.active);
  const released = holds.filter((h) => !h.active);
  const holdable = sources.map((s) => ({ id: s.sourceId, name: s.isAuditTrail ? "Sessionproof audit trail" : s.name }));

  return (
    <>
      <PageHeader
        title="Retention and legal holds"
        description="How long raw payloads are kept per source, and the legal holds that keep evidence from the purge. A purge clears a record's payload but keeps its leaf hash, so the ledger still verifies."
      />

      <section className="panel" aria-labelledby="policies-h">
        <h2 id="policies-h">Retention per source</h2>
        {sources.length === 0 ? (
          <EmptyState title="No sources yet">
            <p>
              Sources appear when audit logs are ingested (<Link href="/ingest">Ingest</Link>). Set their retention here afterwards.
            </p>
          </EmptyState>
        ) : (
          <>
            <p className="muted">
              Age counts from a record&apos;s event time (or when it was received, if it has no event). Expired payloads are purged unless
              held; the normalized events stay, so sessions and timelines remain.
            </p>
            <table className="data" data-testid="retention-table">
              <caption className="visually-hidden">Retention policy per source</caption>
              <thead>
                <tr>
                  <th scope="col">Source</th>
                  <th scope="col">Raw records</th>
                  <th scope="col">Purged</th>
                  <th scope="col">Oldest received</th>
                  <th scope="col">Vendor keeps</th>
                  <th scope="col">Our retention</th>
                </tr>
              </thead>
              <tbody>
                {sources.map((s) => (
                  <tr key={s.sourceId}>
                    <td>
                      {s.isAuditTrail ? "Sessionproof audit trail" : s.name}
                      {!s.isAuditTrail && s.name !== s.platform ? <span className="muted"> ({platformLabel(s.platform)})</span> : null}
                    </td>
                    <td>{s.rawRecords.toLocaleString("en")}</td>
                    <td>{s.purged.toLocaleString("en")}</td>
                    <td>
                      <Time iso={s.oldestReceivedAt} />
                    </td>
                    <td title={s.vendorNote ?? undefined}>
                      {s.vendorDoc ? (
                        <a href={s.vendorDoc} rel="noopener noreferrer" target="_blank">
                          {s.vendorDays !== null ? `${s.vendorDays} days` : "not documented"}
                        </a>
                      ) : (
                        <span className="muted">unknown</span>
                      )}
                      {s.vendorLogType ? (
                        <div className="cov-note">
                          {s.vendorLogType}
                          {s.vendorTier ? `, ${s.vendorTier}` : ""}
                        </div>
                      ) : null}
                    </td>
                    <td>
                      {admin ? (
                        <RetentionDaysForm sourceId={s.sourceId} sourceName={s.name} days={s.days} />
                      ) : s.days !== null ? (
                        `${s.days} days`
                      ) : (
                        <span className="muted">kept forever</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
        {admin ? (
          <div style={{ marginTop: "1rem" }}>
            <PurgeRunner last={lastPurge} />
          </div>
        ) : lastPurge?.result ? (
          <p className="muted">
            Last purge <Time iso={lastPurge.finishedAt} />: {lastPurge.result.purged.toLocaleString("en")} payloads purged,{" "}
            {lastPurge.result.held.toLocaleString("en")} kept under a hold.
          </p>
        ) : null}
      </section>

      <section className="panel" aria-labelledby="holds-h">
        <h2 id="holds-h">Legal holds</h2>
        {admin && sources.length > 0 ? (
          <details className="hold-new">
            <summary>Place a hold on a source and time range</summary>
            <PlaceHoldForm sources={holdable} />
            <p className="muted">To hold a case&apos;s evidence, open the case and use its legal-hold panel.</p>
          </details>
        ) : null}
        {holds.length === 0 ? (
          <EmptyState title="No legal holds">
            <p>
              {admin
                ? "Place one on a case (from the case page) or on a source and time range (above) to keep that evidence from every purge."
                : "An administrator places holds on cases or on a source and time range; held evidence is never purged."}
            </p>
          </EmptyState>
        ) : (
          <table className="data" data-testid="holds-table">
            <caption className="visually-hidden">Legal holds, active first</caption>
            <thead>
              <tr>
                <th scope="col">Status</th>
                <th scope="col">Holds</th>
                <th scope="col">Reason</th>
                <th scope="col">Placed</th>
                <th scope="col">Raw records held</th>
                <th scope="col">Released</th>
              </tr>
            </thead>
            <tbody>
              {[...active, ...released].map((h) => (
                <tr key={h.id} data-testid="hold-row">
                  <td>{h.active ? <span className="badge badge-hold">Active</span> : <span className="badge">Released</span>}</td>
                  <td>{"caseId" in h.scope ? <Link href={`/cases/${h.scope.caseId}`}>{h.scopeLabel}</Link> : h.scopeLabel}</td>
                  <td>{h.reason}</td>
                  <td>
                    <Time iso={h.placedAt} />
                    {h.placedBy ? <div className="muted">{h.placedBy}</div> : null}
                  </td>
                  <td>{h.heldRecords !== null ? h.heldRecords.toLocaleString("en") : <span className="muted">—</span>}</td>
                  <td>
                    {h.active ? (
                      admin ? (
                        <ReleaseHoldButton holdId={h.id} label={h.scopeLabel} />
                      ) : (
                        <span className="muted">—</span>
                      )
                    ) : (
                      <>
                        <Time iso={h.releasedAt} />
                        {h.releasedBy ? <div className="muted">{h.releasedBy}</div> : null}
                        <div>{h.releaseReason}</div>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
