import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePage } from "@/lib/auth/guard";
import { getAnalysisStatus } from "@/lib/analysis/analysis-status";
import { AnalysisAsOf } from "@/components/analysis-as-of";
import { PAGE_ACCESS } from "@/lib/auth/routes";
import { isFrameworkSlug } from "@/lib/compliance/catalogs";
import { getControlDetail } from "@/lib/compliance/get-control-detail";
import { CONTROL_STATUS_LABEL, describePopulation } from "@/lib/compliance/get-framework-status";
import { can } from "@/lib/auth/permissions";
import { ScopeForm } from "./scope-form";
import { DISPOSITION_LABEL } from "@/lib/risk/disposition";
import { PageHeader } from "@/components/empty-state";
import { fmtTime, plural } from "@/components/format";
import { OwaspAttribution } from "../../owasp-attribution";
import { CROSSWALK_RULE, isCrosswalk } from "@/lib/compliance/crosswalk";
import { PeriodPicker, periodFromSearch, withPeriod } from "../../period-picker";
import { platformLabel } from "@/lib/sessions/words";
import { Time } from "@/components/time";

export const metadata = { title: "Compliance control" };

// Finding pages belong to the findings area; link to them only once that page exists in the route table.
const hasFindingPage = "/findings/[id]" in PAGE_ACCESS;

function decode(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

type Props = {
  params: Promise<{ framework: string; control: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export default async function ControlPage({ params, searchParams }: Props) {
  const user = await requirePage("/compliance/[framework]/[control]");
  const analysis = await getAnalysisStatus();
  const p = await params;
  if (!isFrameworkSlug(p.framework)) notFound();
  const { period, error: periodError, raw } = periodFromSearch(await searchParams);
  const d = await getControlDetail({ framework: p.framework, controlId: decode(p.control), period });
  if (!d) notFound();
  const c = d.control;
  const isOwasp = d.framework === "owasp-nhi-2025";

  return (
    <>
      <p>
        <Link href={`/compliance${withPeriod(period)}`}>Compliance</Link> /{" "}
        <Link href={`/compliance/${d.framework}${withPeriod(period)}`}>{d.meta.shortName}</Link>
      </p>
      <PageHeader
        title={`${c.id}${c.title ? `: ${c.title}` : ""}`}
        description={`${d.meta.shortName}, ${c.groupId === c.groupTitle ? c.groupId : `${c.groupId} ${c.groupTitle}`}${isOwasp ? "" : `, ${c.categoryId}${c.categoryTitle !== c.categoryId ? ` ${c.categoryTitle}` : ""}`}`}
      />
      <AnalysisAsOf status={analysis} />
      <PeriodPicker path={`/compliance/${d.framework}/${encodeURIComponent(c.id)}`} period={period} error={periodError} raw={raw} />
      <section className="panel" aria-labelledby="ctl-text">
        <h2 id="ctl-text">Control text</h2>
        <blockquote className="cmp-quote">{c.text}</blockquote>
        {c.examples.length > 0 ? (
          <details>
            <summary>Implementation examples ({c.examples.length})</summary>
            <ul>
              {c.examples.map((e) => (
                <li key={e}>{e}</li>
              ))}
            </ul>
          </details>
        ) : null}
        {c.relevance ? <p className="muted">Why it matters for session evidence: {c.relevance}</p> : null}
        {c.page ? (
          <p>
            <a href={c.page} rel="noopener noreferrer" target="_blank">
              Read {c.id} on owasp.org
            </a>
          </p>
        ) : null}
        <p data-testid="control-status">
          Status: <span className={`cmp-status cmp-status-${d.status}`}>{CONTROL_STATUS_LABEL[d.status]}</span>{" "}
          <span className="muted">
            (generated <Time iso={d.generatedAt} />)
          </span>
        </p>
        {isOwasp ? <OwaspAttribution /> : null}
        {isCrosswalk(d.framework) ? (
          <p className="cmp-attribution" data-testid="crosswalk-rule">
            {CROSSWALK_RULE} Crosswalk source: {d.meta.source} {d.meta.license}
          </p>
        ) : null}
      </section>

      <section className="panel" aria-labelledby="ctl-scope">
        <h2 id="ctl-scope">Scope</h2>
        {d.scoping ? (
          <p data-testid="control-scoping">
            Not applicable: {d.scoping.reason}. Scoped out by {d.scoping.scopedBy ?? "an unknown user"} on <Time iso={d.scoping.scopedAt} />
            . Its evidence is still measured below.
          </p>
        ) : (
          <p className="muted">
            In scope. A compliance manager can mark it not applicable, with a reason that is shown here and kept in the audit trail.
          </p>
        )}
        {can(user.role, "compliance.manage") ? <ScopeForm framework={d.framework} controlId={c.id} scopedOut={!!d.scoping} /> : null}
      </section>

      <section className="panel" aria-labelledby="ctl-evidence">
        <h2 id="ctl-evidence">Evidence and why it applies</h2>
        {d.evidence.length === 0 ? (
          <p className="cmp-empty">
            No evidence source is mapped to this control: it is outside what audit-log sessions can show. Document it through your own
            process; this dashboard will keep reporting it as “no data” unless it is scoped out.
          </p>
        ) : (
          <table className="data">
            <thead>
              <tr>
                <th scope="col">{isCrosswalk(d.framework) ? "Mapped CSF 2.0 subcategory" : "Evidence"}</th>
                <th scope="col">Status</th>
                <th scope="col">Measured population</th>
                <th scope="col">Why it applies</th>
              </tr>
            </thead>
            <tbody>
              {d.evidence.map((e) => (
                <tr key={`${e.kind}-${e.source}`} data-testid="evidence-row">
                  <td>{e.label}</td>
                  <td>
                    <span className={`cmp-status cmp-status-${e.status}`}>{CONTROL_STATUS_LABEL[e.status]}</span>
                  </td>
                  <td>
                    {e.population ? describePopulation(e.population) : e.value}
                    {e.population ? <div className="muted">{e.value}</div> : null}
                  </td>
                  <td>{e.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section className="panel" aria-labelledby="ctl-findings">
        <h2 id="ctl-findings">Findings</h2>
        {d.findings.length === 0 ? (
          <p className="cmp-empty">
            No finding of a mapped risk rule.{" "}
            {d.evidence.some((e) => e.kind === "finding_rule")
              ? "Run the risk rules after ingesting to check again."
              : "No risk rule maps to this control."}
          </p>
        ) : (
          <>
            <p className="muted">
              {plural(d.findingsTotal, "finding")}
              {d.findingsTotal > d.findings.length ? `, the ${d.findings.length} most relevant shown (open first)` : ""}.
            </p>
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">Finding</th>
                  <th scope="col">Severity</th>
                  <th scope="col">Status</th>
                  <th scope="col">Session</th>
                  <th scope="col">Last seen</th>
                  <th scope="col">Why it applies</th>
                </tr>
              </thead>
              <tbody>
                {d.findings.map((f) => (
                  <tr key={f.id} data-testid="finding-row">
                    <td>{hasFindingPage ? <Link href={`/findings/${f.id}`}>{f.title}</Link> : f.title}</td>
                    <td>
                      <span className={`risk risk-${f.severity}`}>{f.severity}</span>
                    </td>
                    <td>
                      {DISPOSITION_LABEL[f.disposition]}
                      {f.riskExpiresAt ? ` until ${fmtTime(f.riskExpiresAt)}` : ""}
                    </td>
                    <td>{f.sessionId ? <Link href={`/sessions/${f.sessionId}`}>Open session</Link> : "—"}</td>
                    <td>
                      <Time iso={f.lastSeenAt} />
                    </td>
                    <td>{f.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </section>

      <section className="panel" aria-labelledby="ctl-exceptions">
        <h2 id="ctl-exceptions">Exceptions (risk accepted)</h2>
        {d.exceptions.length === 0 ? (
          <p className="cmp-empty">No approved risk acceptance is in force for this control&apos;s rules.</p>
        ) : (
          <>
            <p className="muted">
              Exceptions are accepted risks, not evidence: they keep the control short of “sufficient evidence” until they expire.
            </p>
            <table className="data" data-testid="exceptions">
              <thead>
                <tr>
                  <th scope="col">Finding</th>
                  <th scope="col">Reason</th>
                  <th scope="col">Accepted by</th>
                  <th scope="col">Approved by</th>
                  <th scope="col">Expires</th>
                </tr>
              </thead>
              <tbody>
                {d.exceptions.map((x) => (
                  <tr key={x.id} data-testid="exception-row">
                    <td>
                      <Link href={`/findings/${x.id}`}>{x.title}</Link>
                    </td>
                    <td>{x.reason}</td>
                    <td>{x.acceptedBy ?? "—"}</td>
                    <td>
                      {x.approvedBy ?? "—"} (<Time iso={x.approvedAt} />)
                    </td>
                    <td>{x.expiresAt.slice(0, 10)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </section>

      <section className="panel" aria-labelledby="ctl-sessions">
        <h2 id="ctl-sessions">Sessions behind the findings</h2>
        {d.sessions.length === 0 ? (
          <p className="cmp-empty">No session is behind a finding of this control.</p>
        ) : (
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Session</th>
                <th scope="col">Platform</th>
                <th scope="col">Identity</th>
                <th scope="col">Started</th>
                <th scope="col">Risk</th>
                <th scope="col">Findings</th>
              </tr>
            </thead>
            <tbody>
              {d.sessions.map((s) => (
                <tr key={s.id} data-testid="session-row">
                  <td>
                    <Link href={`/sessions/${s.id}`}>{s.id.slice(0, 8)}</Link>
                  </td>
                  <td>{platformLabel(s.platform)}</td>
                  <td>{s.identityName ?? "unresolved"}</td>
                  <td>
                    <Time iso={s.startedAt} />
                  </td>
                  <td>{s.riskLevel ?? "—"}</td>
                  <td className="cmp-num">{s.findings}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      {d.governance.length > 0 ? (
        <section className="panel" aria-labelledby="ctl-gov">
          <h2 id="ctl-gov">Governance checks</h2>
          <ul className="counts">
            {d.governance.map((g) => (
              <li key={g.status}>
                <Link href={`/governance?status=${encodeURIComponent(g.status)}`}>{g.status.replace(/_/g, " ")}</Link>: {g.checks}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {d.coverage.length > 0 ? (
        <section className="panel" aria-labelledby="ctl-cov">
          <h2 id="ctl-cov">Coverage figures</h2>
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Figure</th>
                <th scope="col">Platform</th>
                <th scope="col">Value</th>
                <th scope="col">Why it applies</th>
              </tr>
            </thead>
            <tbody>
              {d.coverage.map((f) => (
                <tr key={`${f.source}-${f.platform}`}>
                  <td>{f.label}</td>
                  <td>{platformLabel(f.platform)}</td>
                  <td>{f.figure}</td>
                  <td>{f.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p>
            <Link href="/coverage">Open the coverage page</Link> for the gaps and how to close them.
          </p>
        </section>
      ) : null}
    </>
  );
}
