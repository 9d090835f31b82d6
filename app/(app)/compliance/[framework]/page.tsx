import Link from "next/link";
import { notFound } from "next/navigation";
import { Fragment } from "react";
import { z } from "zod";
import { requirePage } from "@/lib/auth/guard";
import { getAnalysisStatus } from "@/lib/analysis/analysis-status";
import { AnalysisAsOf } from "@/components/analysis-as-of";
import { isFrameworkSlug } from "@/lib/compliance/catalogs";
import { periodParams } from "@/lib/compliance/audit-period.types";
import { CROSSWALK_RULE, isCrosswalk } from "@/lib/compliance/crosswalk";
import { CONTROL_STATUSES, CONTROL_STATUS_LABEL, getFrameworkStatus, type ControlStatusRow } from "@/lib/compliance/get-framework-status";
import { PageHeader } from "@/components/empty-state";
import { fmtTime, plural } from "@/components/format";
import { OwaspAttribution } from "../owasp-attribution";
import { StatusChart } from "../status-chart";
import { PeriodPicker, periodFromSearch, withPeriod } from "../period-picker";

export const metadata = { title: "Compliance framework" };

// Filters and sort live in the URL so a filtered view is a link; unknown values fall back to the defaults.
const SORTS = ["catalog", "status", "findings", "id"] as const;
const paramsSchema = z.object({
  status: z.enum(CONTROL_STATUSES).optional().catch(undefined),
  q: z.string().trim().max(100).optional().catch(undefined),
  sort: z.enum(SORTS).optional().catch(undefined),
});
const STATUS_ORDER = { gap: 0, partial: 1, no_data: 2, sufficient: 3, not_applicable: 4 } as const;

type Props = { params: Promise<{ framework: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function FrameworkPage({ params, searchParams }: Props) {
  await requirePage("/compliance/[framework]");
  const analysis = await getAnalysisStatus();
  const { framework } = await params;
  if (!isFrameworkSlug(framework)) notFound();
  const sp = await searchParams;
  const f = paramsSchema.parse(sp);
  const { period, error: periodError, raw } = periodFromSearch(sp);
  const st = await getFrameworkStatus({ framework, period });
  const keep = { status: f.status, q: f.q, sort: f.sort };
  const [groupLevel, categoryLevel] = st.meta.levels;

  const q = f.q?.toLowerCase() ?? "";
  let rows = st.controls.filter(
    (c) =>
      (!f.status || c.status === f.status) &&
      (!q || `${c.id} ${c.title ?? ""} ${c.text} ${c.categoryTitle} ${c.groupTitle}`.toLowerCase().includes(q)),
  );
  const sort = f.sort ?? "catalog";
  if (sort === "status") rows = [...rows].sort((a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status]);
  if (sort === "findings") rows = [...rows].sort((a, b) => b.openFindings - a.openFindings);
  if (sort === "id") rows = [...rows].sort((a, b) => a.id.localeCompare(b.id, "en", { numeric: true }));
  const grouped = sort === "catalog";
  const isOwasp = framework === "owasp-nhi-2025";

  const row = (c: ControlStatusRow) => (
    <tr key={c.id} data-testid="control-row">
      <td>
        <Link href={`/compliance/${framework}/${encodeURIComponent(c.id)}${withPeriod(period)}`}>{c.id}</Link>
      </td>
      <td>
        {c.title ? <strong>{c.title}. </strong> : null}
        {c.text}
      </td>
      {grouped || isOwasp ? null : <td>{c.categoryId}</td>}
      <td>
        <span className={`cmp-status cmp-status-${c.status}`}>{CONTROL_STATUS_LABEL[c.status]}</span>
      </td>
      <td className="cmp-num">
        {c.evidence.filter((e) => e.status === "sufficient").length} of {c.evidence.filter((e) => e.population).length}
      </td>
      <td className="cmp-num">{c.openFindings}</td>
    </tr>
  );
  const cols = grouped || isOwasp ? 5 : 6;

  return (
    <>
      <p>
        <Link href={`/compliance${withPeriod(period)}`}>← Compliance</Link>
      </p>
      <PageHeader
        title={st.meta.name}
        description={`${plural(st.summary.total, "control")}. Generated ${fmtTime(st.generatedAt)} from ${plural(st.scope.events, "event")} on ${plural(st.scope.platforms, "platform")} in the audit period (${st.period.label}). Evidence for an assessment, not a compliance opinion.`}
        actions={
          <div className="cmp-actions">
            <a
              className="btn btn-secondary"
              href={`/api/v1/compliance/${framework}/report${withPeriod(period, { format: "csv" })}`}
              download
            >
              Download CSV
            </a>
            <a
              className="btn btn-secondary"
              href={`/api/v1/compliance/${framework}/report${withPeriod(period, { format: "html" })}`}
              target="_blank"
              rel="noopener"
            >
              Printable report
            </a>
          </div>
        }
      />
      <AnalysisAsOf status={analysis} />
      <PeriodPicker path={`/compliance/${framework}`} period={period} error={periodError} raw={raw} keep={keep} />
      <section className="panel" aria-labelledby="fw-chart">
        <h2 id="fw-chart">Controls by status</h2>
        <ul className="counts">
          {CONTROL_STATUSES.map((k) => (
            <li key={k}>
              {CONTROL_STATUS_LABEL[k]}: {st.summary[k]}
            </li>
          ))}
        </ul>
        <StatusChart
          label={`Stacked bar chart of ${st.meta.shortName} controls by status; counts are listed above`}
          data={[{ label: st.meta.shortName, ...st.summary }]}
        />
      </section>

      <section className="panel" aria-labelledby="fw-controls">
        <h2 id="fw-controls">Controls</h2>
        <form method="get" className="form-row cmp-filters">
          {Object.entries(periodParams(period)).map(([k, v]) => (
            <input key={k} type="hidden" name={k} value={v} />
          ))}
          <div className="field">
            <label htmlFor="q">Search id or text</label>
            <input id="q" name="q" defaultValue={f.q ?? ""} placeholder={isOwasp ? "e.g. NHI7 or secret" : "e.g. PR.AA or log"} />
          </div>
          <div className="field">
            <label htmlFor="status">Status</label>
            <select id="status" name="status" defaultValue={f.status ?? ""}>
              <option value="">Any status</option>
              {CONTROL_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {CONTROL_STATUS_LABEL[s]}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="sort">Sort</label>
            <select id="sort" name="sort" defaultValue={sort}>
              <option value="catalog">Catalog order (grouped)</option>
              <option value="status">Status (gaps first)</option>
              <option value="findings">Most open findings</option>
              <option value="id">Control id</option>
            </select>
          </div>
          <div className="form-submit">
            <button type="submit" className="btn">
              Apply
            </button>{" "}
            <Link href={`/compliance/${framework}${withPeriod(period)}`}>Clear</Link>
          </div>
        </form>
        <p className="muted" role="status">
          Showing {rows.length} of {st.summary.total} controls.
        </p>
        {rows.length === 0 ? (
          <p className="cmp-empty">No control matches these filters. Clear the search text or pick “Any status”.</p>
        ) : (
          <div className="cmp-scroll">
            <table className="data cmp-table">
              <thead>
                <tr>
                  <th scope="col">Control</th>
                  <th scope="col">Text</th>
                  {grouped || isOwasp ? null : <th scope="col">{categoryLevel}</th>}
                  <th scope="col">Status</th>
                  <th scope="col">Populations meeting the threshold</th>
                  <th scope="col">Open findings</th>
                </tr>
              </thead>
              <tbody>
                {grouped
                  ? rows.map((c, i) => {
                      const prev = rows[i - 1];
                      const newGroup = !prev || prev.groupId !== c.groupId;
                      const newCat = !prev || prev.categoryId !== c.categoryId;
                      return (
                        <Fragment key={c.id}>
                          {newGroup && !isOwasp ? (
                            <tr className="cmp-group">
                              <th scope="rowgroup" colSpan={cols}>
                                {groupLevel} {c.groupId}
                                {c.groupTitle !== c.groupId ? `: ${c.groupTitle}` : ""}
                              </th>
                            </tr>
                          ) : null}
                          {newCat && !isOwasp ? (
                            <tr className="cmp-category">
                              <th scope="rowgroup" colSpan={cols}>
                                {c.categoryId}
                                {c.categoryTitle !== c.categoryId ? `: ${c.categoryTitle}` : ""}
                              </th>
                            </tr>
                          ) : null}
                          {row(c)}
                        </Fragment>
                      );
                    })
                  : rows.map(row)}
              </tbody>
            </table>
          </div>
        )}
        {isOwasp ? (
          <OwaspAttribution />
        ) : isCrosswalk(framework) ? (
          <div className="cmp-attribution" data-testid="crosswalk-source">
            <p>{CROSSWALK_RULE}</p>
            <p>Crosswalk source: {st.meta.source}</p>
            <p>{st.meta.license}</p>
          </div>
        ) : (
          <p className="cmp-attribution">
            {st.meta.name}: NIST work, public domain. Source: {st.meta.source}
          </p>
        )}
      </section>
    </>
  );
}
