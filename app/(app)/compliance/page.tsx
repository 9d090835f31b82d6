import Link from "next/link";
import { Fragment } from "react";
import { requirePage } from "@/lib/auth/guard";
import { getAnalysisStatus } from "@/lib/analysis/analysis-status";
import { AnalysisAsOf } from "@/components/analysis-as-of";
import { FRAMEWORKS } from "@/lib/compliance/catalogs";
import { buildFrameworkStatus, CONTROL_STATUSES, CONTROL_STATUS_LABEL } from "@/lib/compliance/get-framework-status";
import { listControlScopes } from "@/lib/compliance/scope-control";
import { legacyCsfQuery, lookupLegacyCsf } from "@/lib/compliance/lookup-legacy-csf";
import { measureEvidence } from "@/lib/compliance/measure-evidence";
import { PageHeader } from "@/components/empty-state";
import { plural } from "@/components/format";
import { OwaspAttribution } from "./owasp-attribution";
import { StatusChart } from "./status-chart";
import { PeriodPicker, periodFromSearch, withPeriod } from "./period-picker";
import { ThresholdsForm } from "./thresholds-form";
import { can } from "@/lib/auth/permissions";
import { THRESHOLD_FIELDS } from "@/lib/compliance/thresholds.types";
import { Time } from "@/components/time";

export const metadata = { title: "Compliance" };

type Search = Promise<Record<string, string | string[] | undefined>>;

export default async function CompliancePage({ searchParams }: { searchParams: Search }) {
  const user = await requirePage("/compliance");
  const analysis = await getAnalysisStatus();
  const sp = await searchParams;
  const csfRaw = typeof sp.csf === "string" ? sp.csf : undefined;

  const { period, error: periodError, raw } = periodFromSearch(sp);
  // One measurement pass feeds all three frameworks.
  const ms = await measureEvidence({ period });
  const scopes = await Promise.all(FRAMEWORKS.map((f) => listControlScopes(f)));
  // The CSF 2.0 status first: the SOC 2 and ISO 27001 views derive from it through their crosswalks.
  const csf = buildFrameworkStatus("nist-csf-2.0", ms, scopes[FRAMEWORKS.indexOf("nist-csf-2.0")]);
  const statuses = FRAMEWORKS.map((f, i) => (f === "nist-csf-2.0" ? csf : buildFrameworkStatus(f, ms, scopes[i], csf)));

  const parsed = csfRaw === undefined ? null : legacyCsfQuery.safeParse({ id: csfRaw });
  const lookup = parsed?.success ? await lookupLegacyCsf(parsed.data) : null;
  const lookupError = parsed && !parsed.success ? parsed.error.issues[0]?.message : null;

  return (
    <>
      <PageHeader
        title="Compliance"
        description="Evidence from your own data (findings, governance checks, coverage figures, ledger facts) mapped to NIST CSF 2.0, the OWASP Non-Human Identities Top 10 (2025) and the NIST AI RMF 1.0; SOC 2 (CC6-CC8) and ISO/IEC 27001:2022 Annex A through a crosswalk from CSF 2.0."
      />
      <AnalysisAsOf status={analysis} />
      <PeriodPicker path="/compliance" period={period} error={periodError} raw={raw} />
      {ms.scope.events === 0 ? (
        <p className="alert alert-info">
          No audit events are stored{period.from || period.toExclusive ? " in this period" : " yet"}, so most controls show “no data”.
          Ingest platform audit logs (Ingest page or <code>npm run cli -- ingest &lt;files&gt;</code>) and run the correlation and risk
          rules to fill these views.
        </p>
      ) : null}
      <section className="panel" aria-labelledby="cmp-overview">
        <h2 id="cmp-overview">Controls by status</h2>
        <p className="muted">
          Generated <Time iso={ms.generatedAt} /> from {plural(ms.scope.events, "event")} on {plural(ms.scope.platforms, "platform")} in the
          period. Evidence for an assessment, not a compliance opinion. A control has “sufficient evidence” only when every measured
          population behind it meets its threshold (at least {ms.thresholds.minPopulation} rows; for example{" "}
          {ms.thresholds.privilegedApprovedPct}% of privileged actions approved) and no finding is open; one row never makes a control
          sufficient.
        </p>
        <StatusChart
          label="Stacked bar chart: controls by status (sufficient evidence, partial, gap, no data, not applicable) for each framework; the counts are listed below"
          data={statuses.map((s) => ({ label: s.meta.shortName, ...s.summary }))}
        />
        <ul className="cmp-cards">
          {statuses.map((s) => (
            <li key={s.framework} className="cmp-card" data-testid={`framework-${s.framework}`}>
              <h3>
                <Link href={`/compliance/${s.framework}${withPeriod(period)}`}>{s.meta.name}</Link>
              </h3>
              <p className="muted">{s.summary.total} controls</p>
              <dl className="cmp-counts">
                {CONTROL_STATUSES.map((k) => (
                  <Fragment key={k}>
                    <dt>{CONTROL_STATUS_LABEL[k]}</dt>
                    <dd>{s.summary[k]}</dd>
                  </Fragment>
                ))}
              </dl>
            </li>
          ))}
        </ul>
        <OwaspAttribution />
      </section>

      <section className="panel" aria-labelledby="cmp-thresholds">
        <h2 id="cmp-thresholds">Thresholds for “sufficient evidence”</h2>
        {can(user.role, "compliance.manage") ? (
          <ThresholdsForm current={ms.thresholds} />
        ) : (
          <>
            <p className="muted">Set by a compliance manager; every change is in the audit trail.</p>
            <dl className="cmp-counts" data-testid="thresholds">
              {THRESHOLD_FIELDS.map((f) => (
                <Fragment key={f.key}>
                  <dt>{f.label}</dt>
                  <dd>
                    {ms.thresholds[f.key]}
                    {f.unit === "%" ? "%" : ` ${f.unit}`}
                  </dd>
                </Fragment>
              ))}
            </dl>
          </>
        )}
      </section>

      <section className="panel" aria-labelledby="cmp-legacy">
        <h2 id="cmp-legacy">Look up a legacy CSF 1.1 id</h2>
        <p className="muted">
          Older policies cite CSF 1.1 ids such as PR.AC-1; CSF 2.0 moved them. The answer comes from NIST&apos;s official withdrawn-control
          links (an excerpt covering PR.AC, DE, RS.AN/CO/IM and ID.SC).
        </p>
        <form method="get" action="/compliance" className="form-row">
          <div className="field">
            <label htmlFor="csf">CSF 1.1 id</label>
            <input
              id="csf"
              name="csf"
              defaultValue={csfRaw ?? ""}
              placeholder="PR.AC-1"
              aria-describedby={lookupError ? "csf-error" : undefined}
            />
            {lookupError ? (
              <div className="error" id="csf-error" role="alert">
                {lookupError}
              </div>
            ) : null}
          </div>
          <div className="form-submit">
            <button type="submit" className="btn">
              Look up
            </button>
          </div>
        </form>
        {lookup ? (
          <div className="cmp-lookup" data-testid="legacy-result" role="status">
            <p>
              <strong>{lookup.message}</strong>
            </p>
            {lookup.links.flatMap((l) =>
              l.targets.map((t) => (
                <p key={`${l.rel}-${t.id}`}>
                  {t.id.includes("-") ? (
                    <Link href={`/compliance/nist-csf-2.0/${encodeURIComponent(t.id)}`}>{t.id}</Link>
                  ) : (
                    <span>{t.id}</span>
                  )}{" "}
                  ({l.label}){t.text ? `: ${t.text}` : ""}
                </p>
              )),
            )}
          </div>
        ) : null}
      </section>
    </>
  );
}
