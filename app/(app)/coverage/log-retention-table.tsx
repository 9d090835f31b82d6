import type { ReactNode } from "react";
import { LOG_RETENTION_LABEL, type LogRetentionReport } from "@/lib/coverage/log-retention.types";

// Retention per platform and log type: what the vendor keeps, what Sessionproof keeps, what is held, by when to ingest
// again, and the verdict (lib/coverage/log-retention.ts). The Coverage page's only retention table: the vendor's
// figures come from lib/sources/<platform>/retention.ts, each linked to its vendor page. `children`: the required
// retention (and the administrator's form to change it). Server component.
const day = (iso: string | null) => (iso ? iso.slice(0, 10) : "—");

export function LogRetentionTable({ report, children }: { report: LogRetentionReport; children?: ReactNode }) {
  return (
    <section className="panel" aria-labelledby="log-retention-h" data-testid="log-retention">
      <h2 id="log-retention-h" style={{ marginTop: 0 }}>
        Retention per log type
      </h2>
      <p className="muted">
        The vendor&apos;s retention per log type (the shortest tier is assumed: the license in force is not known here), Sessionproof&apos;s
        own retention policy and the data actually held, against the required {report.requiredDays} days. A platform is sufficient only when
        every log type it has data for is; the retention control is sufficient only when every platform with data is (
        {report.sufficientPlatforms} of {report.platforms.length} now). Data from day D leaves the vendor on D + its retention: “Export
        before” is the date by which what came after the newest event held must be ingested.
      </p>
      {children}
      <div className="cov-scroll" tabIndex={0} role="region" aria-label="Retention per log type (scrolls sideways)">
        <table className="data">
          <caption className="visually-hidden">Retention per platform and log type against the required {report.requiredDays} days</caption>
          <thead>
            <tr>
              <th scope="col">Platform</th>
              <th scope="col">Log type</th>
              <th scope="col">Vendor keeps</th>
              <th scope="col">We keep</th>
              <th scope="col">Oldest held</th>
              <th scope="col">Newest held</th>
              <th scope="col">Export before</th>
              <th scope="col">Verdict</th>
            </tr>
          </thead>
          <tbody>
            {report.rows.map((r) => (
              <tr key={`${r.platform}-${r.logType}`} data-testid="log-retention-row" data-platform={r.platform} data-log-type={r.logType}>
                <th scope="row">{r.platformLabel}</th>
                <td>{r.logTypeLabel}</td>
                <td>
                  {r.vendorDoc ? (
                    <a href={r.vendorDoc} rel="noopener noreferrer" target="_blank">
                      {r.vendorKeeps}
                    </a>
                  ) : (
                    r.vendorKeeps
                  )}
                  {r.vendorNote ? <div className="cov-note">{r.vendorNote}</div> : null}
                </td>
                <td>{r.weKeep}</td>
                <td>{day(r.oldestEventTime)}</td>
                <td>{day(r.newestEventTime)}</td>
                <td>{day(r.exportBy)}</td>
                <td>
                  <strong>{LOG_RETENTION_LABEL[r.status]}</strong>
                  <div className="cov-note">{r.reason}</div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
