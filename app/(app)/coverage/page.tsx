import Link from "next/link";
import { z } from "zod";
import { requirePage } from "@/lib/auth/guard";
import { can } from "@/lib/auth/permissions";
import { getCoverage } from "@/lib/coverage/get-coverage";
import { EVIDENCE_FIELDS, EVIDENCE_FIELD_LABELS, type CoverageGap, type Documented, type FieldCoverage } from "@/lib/coverage/types";
import { EmptyState, PageHeader } from "@/components/empty-state";
import { plural } from "@/components/format";
import { JoinChart } from "./join-chart";
import { RetentionForm } from "./retention-form";
import { LogRetentionTable } from "./log-retention-table";
import { getLogRetention } from "@/lib/coverage/log-retention";
import { Time } from "@/components/time";

export const metadata = { title: "Coverage" };

// Filters and sort of the gap list (and whether the matrix lists platforms without data) live in the URL, so
// a filtered view is a link. Unknown values fall back to the defaults rather than erroring.
const SORTS = ["severity", "platform", "kind", "subject"] as const;
const paramsSchema = z.object({
  gp: z.string().max(64).optional().catch(undefined),
  gk: z.enum(["field", "join", "retention"]).optional().catch(undefined),
  gs: z.enum(["high", "medium", "low"]).optional().catch(undefined),
  sort: z.enum(SORTS).optional().catch(undefined),
  dir: z.enum(["asc", "desc"]).optional().catch(undefined),
  all: z.literal("1").optional().catch(undefined),
});
type Params = z.infer<typeof paramsSchema>;

const DOC_MARK: Record<Documented, { symbol: string; text: string }> = {
  yes: { symbol: "●", text: "documented" },
  partial: { symbol: "◐", text: "partly documented" },
  no: { symbol: "○", text: "not documented" },
};

function rateBand(rate: number | null): string {
  if (rate === null) return "none";
  if (rate >= 0.95) return "full";
  if (rate >= 0.5) return "most";
  if (rate > 0) return "some";
  return "zero";
}

const pct = (r: number | null) => (r === null ? "n/a" : `${Math.round(r * 100)}%`);

function href(current: Params, patch: Partial<Params>): string {
  const next = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...current, ...patch })) if (v) next.set(k, v);
  const qs = next.toString();
  return qs ? `/coverage?${qs}` : "/coverage";
}

function MatrixCell({ f }: { f: FieldCoverage }) {
  const mark = DOC_MARK[f.documented];
  const title = `${f.vendorField ?? "no vendor field"}${f.note ? ` — ${f.note}` : ""}`;
  return (
    <td className={`cov-cell cov-${rateBand(f.rate)}`} title={title}>
      <span className="cov-rate">{f.rate === null ? "no data" : pct(f.rate)}</span>{" "}
      <span className="cov-doc" aria-hidden="true">
        {mark.symbol}
      </span>
      <span className="visually-hidden">, {mark.text}</span>
    </td>
  );
}

function sortGaps(gaps: CoverageGap[], sort: Params["sort"], dir: Params["dir"]): CoverageGap[] {
  if (!sort || sort === "severity") return dir === "desc" ? [...gaps].reverse() : gaps; // already by severity
  const key = (g: CoverageGap) => (sort === "platform" ? g.label : sort === "kind" ? g.kind : g.subject);
  const sign = dir === "desc" ? -1 : 1;
  return [...gaps].sort((a, b) => sign * key(a).localeCompare(key(b)));
}

function GapSortHeader({ column, label, params }: { column: (typeof SORTS)[number]; label: string; params: Params }) {
  const active = (params.sort ?? "severity") === column;
  const dir = active ? (params.dir ?? "asc") : undefined;
  return (
    <th scope="col" aria-sort={active ? (dir === "asc" ? "ascending" : "descending") : "none"}>
      <Link href={href(params, { sort: column, dir: active && dir === "asc" ? "desc" : "asc" })}>
        {label} <span aria-hidden="true">{active ? (dir === "asc" ? "▲" : "▼") : "↕"}</span>
      </Link>
    </th>
  );
}

export default async function CoveragePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requirePage("/coverage");
  const raw = await searchParams;
  const params = paramsSchema.parse(Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v])));
  const [report, logRetention] = await Promise.all([getCoverage(), getLogRetention()]);
  const mayChange = can(user.role, "holds.manage");
  const withData = report.platforms.filter((p) => p.events > 0);
  const matrixRows = params.all ? report.platforms : withData;
  const required = report.requiredRetentionDays;

  // One retention table: per log type, from lib/sources/<platform>/retention.ts (the vendor's figures live only there),
  // with the required retention and the form to change it.
  const retentionSection = (
    <LogRetentionTable report={logRetention}>
      {mayChange ? (
        <RetentionForm current={required} />
      ) : (
        <p className="muted">Required retention: {required} days (an administrator can change it).</p>
      )}
    </LogRetentionTable>
  );

  if (report.totalEvents === 0) {
    return (
      <>
        <PageHeader title="Coverage" description="Which evidence fields each platform's logs provide, and where the gaps are." />
        <EmptyState title="Nothing to measure yet: no events are ingested">
          <p>
            Coverage is measured from the events you ingest. Upload audit exports on the <Link href="/ingest">Ingest page</Link> (analysts
            and administrators), or run <code>npm start</code> with the demo data to see this page filled. The vendors&apos; documented
            retention is below, so you can plan exports before the first ingest.
          </p>
        </EmptyState>
        <div style={{ marginTop: "1rem" }}>{retentionSection}</div>
      </>
    );
  }

  const platformsWithGaps = [...new Map(report.gaps.map((g) => [g.platform, g.label])).entries()];
  const gaps = sortGaps(
    report.gaps.filter(
      (g) => (!params.gp || g.platform === params.gp) && (!params.gk || g.kind === params.gk) && (!params.gs || g.severity === params.gs),
    ),
    params.sort,
    params.dir,
  );
  const bySeverity = (s: CoverageGap["severity"]) => report.gaps.filter((g) => g.severity === s).length;
  const joinRows = withData.filter((p) => p.kind === "platform");

  return (
    <>
      <PageHeader
        title="Coverage"
        description="Which evidence fields each platform's logs provide, measured from your ingested data, next to what the vendor documents; how well events join up; and how long each vendor keeps them."
      />
      <div className="counts" aria-label="Summary">
        <span>{plural(report.totalEvents, "event")} measured</span>
        <span>{plural(withData.length, "platform")} with data</span>
        <span>Required retention {required} days</span>
        <span className={bySeverity("high") ? "warn" : undefined}>
          {plural(report.gaps.length, "gap")} ({bySeverity("high")} high, {bySeverity("medium")} medium, {bySeverity("low")} low)
        </span>
      </div>

      <section className="panel" aria-labelledby="matrix-h" style={{ marginTop: "1rem" }}>
        <h2 id="matrix-h" style={{ marginTop: 0 }}>
          Evidence fields by platform
        </h2>
        <p className="muted">
          Each cell is the share of the platform&apos;s events that carry the field. The mark says what the vendor documents: ● provides it,
          ◐ in part, ○ not at all. Hover a cell for the vendor field name.{" "}
          {params.all ? (
            <Link href={href(params, { all: undefined })}>Show only platforms with data</Link>
          ) : (
            <Link href={href(params, { all: "1" })}>Show all {report.platforms.length} platforms</Link>
          )}
        </p>
        <div className="cov-scroll" tabIndex={0} role="region" aria-label="Evidence field matrix (scrolls sideways)">
          <table className="data cov-matrix">
            <caption className="visually-hidden">
              Fill rate of each evidence field per platform, with the vendor&apos;s documented capability
            </caption>
            <thead>
              <tr>
                <th scope="col">Platform</th>
                <th scope="col">Events</th>
                {EVIDENCE_FIELDS.map((f) => (
                  <th scope="col" key={f}>
                    {EVIDENCE_FIELD_LABELS[f]}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {matrixRows.map((p) => (
                <tr key={p.platform} data-platform={p.platform}>
                  <th scope="row">
                    {p.label}
                    {p.kind === "governance" ? <div className="cov-note">governance feed</div> : null}
                  </th>
                  <td>{p.events.toLocaleString("en")}</td>
                  {p.fields.map((f) => (
                    <MatrixCell key={f.field} f={f} />
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div className="legend cov-legend" aria-hidden="true">
          <span>
            <i className="cov-swatch cov-full" /> 95% or more
          </span>
          <span>
            <i className="cov-swatch cov-most" /> 50–94%
          </span>
          <span>
            <i className="cov-swatch cov-some" /> under 50%
          </span>
          <span>
            <i className="cov-swatch cov-zero" /> none
          </span>
        </div>
      </section>

      {joinRows.length > 0 ? (
        <section className="panel" aria-labelledby="join-h">
          <h2 id="join-h" style={{ marginTop: 0 }}>
            Join-ability
          </h2>
          <p className="muted">
            The share of each platform&apos;s events that correlation tied to a session and to an identity, and the share of its privileged
            events matched to an approval ticket. A session is proven by a session id the platform logged; where the platform logs none,
            correlation groups an actor&apos;s events by time, which is weaker: the chart shows the first, the table both.
          </p>
          <JoinChart
            data={joinRows.map((p) => ({
              label: p.label,
              session: p.join.loggedSessionRate,
              identity: p.join.identityRate,
              approval: p.join.approvalRate,
            }))}
          />
          <table className="data cov-join">
            <caption className="visually-hidden">Join-ability per platform</caption>
            <thead>
              <tr>
                <th scope="col">Platform</th>
                <th scope="col">Events</th>
                <th scope="col">Tied to a session</th>
                <th scope="col">Tied to an identity</th>
                <th scope="col">Privileged events with approval</th>
              </tr>
            </thead>
            <tbody>
              {joinRows.map((p) => (
                <tr key={p.platform} data-platform={p.platform}>
                  <th scope="row">{p.label}</th>
                  <td>{p.join.events.toLocaleString("en")}</td>
                  <td>
                    {pct(p.join.sessionRate)} ({p.join.withSession.toLocaleString("en")})
                    <div className="muted" data-testid="logged-session">
                      {pct(p.join.loggedSessionRate)} by the platform&apos;s own session id
                    </div>
                  </td>
                  <td>
                    {pct(p.join.identityRate)} ({p.join.withIdentity.toLocaleString("en")})
                  </td>
                  <td>
                    {p.join.privileged === 0
                      ? "no privileged events"
                      : `${pct(p.join.approvalRate)} (${p.join.privilegedWithApproval.toLocaleString("en")} of ${p.join.privileged.toLocaleString("en")})`}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}

      <div style={{ marginTop: "1rem" }}>{retentionSection}</div>

      <section className="panel" aria-labelledby="gaps-h">
        <h2 id="gaps-h" style={{ marginTop: 0 }}>
          Gaps and what to do
        </h2>
        <form method="get" action="/coverage" className="table-tools" aria-label="Filter gaps">
          {params.all ? <input type="hidden" name="all" value="1" /> : null}
          {params.sort ? <input type="hidden" name="sort" value={params.sort} /> : null}
          {params.dir ? <input type="hidden" name="dir" value={params.dir} /> : null}
          <label htmlFor="gp">Platform</label>
          <select id="gp" name="gp" defaultValue={params.gp ?? ""}>
            <option value="">All platforms</option>
            {platformsWithGaps.map(([id, label]) => (
              <option key={id} value={id}>
                {label}
              </option>
            ))}
          </select>
          <label htmlFor="gk">Kind</label>
          <select id="gk" name="gk" defaultValue={params.gk ?? ""}>
            <option value="">All kinds</option>
            <option value="field">Evidence field</option>
            <option value="join">Join-ability</option>
            <option value="retention">Retention</option>
          </select>
          <label htmlFor="gs">Severity</label>
          <select id="gs" name="gs" defaultValue={params.gs ?? ""}>
            <option value="">All severities</option>
            <option value="high">High</option>
            <option value="medium">Medium</option>
            <option value="low">Low</option>
          </select>
          <button type="submit" className="btn btn-small">
            Apply
          </button>
          {params.gp || params.gk || params.gs ? (
            <Link href={href(params, { gp: undefined, gk: undefined, gs: undefined })}>Clear filters</Link>
          ) : null}
        </form>
        {gaps.length === 0 ? (
          <p className="muted" role="status">
            {report.gaps.length === 0
              ? "No gaps: every field the platforms provide is filled, events join up and the vendors keep the required days."
              : "No gap matches these filters. Clear the filters to see all gaps."}
          </p>
        ) : (
          <div className="cov-scroll" tabIndex={0} role="region" aria-label="Gap list (scrolls sideways)">
            <table className="data cov-gaps">
              <caption className="visually-hidden">{plural(gaps.length, "gap")}, with a recommendation for each</caption>
              <thead>
                <tr>
                  <GapSortHeader column="severity" label="Severity" params={params} />
                  <GapSortHeader column="platform" label="Platform" params={params} />
                  <GapSortHeader column="kind" label="Kind" params={params} />
                  <GapSortHeader column="subject" label="Subject" params={params} />
                  <th scope="col">What is missing</th>
                  <th scope="col">Recommendation</th>
                </tr>
              </thead>
              <tbody>
                {gaps.map((g) => (
                  <tr key={`${g.platform}:${g.kind}:${g.subject}`} data-platform={g.platform}>
                    <td>
                      <span className={`badge cov-sev-${g.severity}`}>{g.severity}</span>
                    </td>
                    <td>{g.label}</td>
                    <td>{g.kind === "field" ? "evidence field" : g.kind === "join" ? "join-ability" : "retention"}</td>
                    <td>{g.kind === "field" ? EVIDENCE_FIELD_LABELS[g.subject as keyof typeof EVIDENCE_FIELD_LABELS] : g.subject}</td>
                    <td>{g.problem}</td>
                    <td>{g.recommendation}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {report.limitations.length > 0 ? (
          <details data-testid="coverage-limitations" style={{ marginTop: "0.75rem" }}>
            <summary>
              {plural(report.limitations.length, "platform limitation")}: fields the vendors do not log at all (not counted as gaps; no
              export or setting can fill them)
            </summary>
            <ul>
              {report.limitations.map((g) => (
                <li key={`${g.platform}:${g.subject}`} data-platform={g.platform}>
                  <strong>{g.label}</strong>, {EVIDENCE_FIELD_LABELS[g.subject as keyof typeof EVIDENCE_FIELD_LABELS]}: {g.problem}{" "}
                  <span className="muted">{g.recommendation}</span>
                </li>
              ))}
            </ul>
          </details>
        ) : null}
        <p className="muted" style={{ marginBottom: 0 }}>
          Measured <Time iso={report.generatedAt} />.
        </p>
      </section>
    </>
  );
}
