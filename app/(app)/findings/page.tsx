import Link from "next/link";
import { VisibleText } from "@/components/visible-text";
import { requirePage } from "@/lib/auth/guard";
import { getAnalysisStatus } from "@/lib/analysis/analysis-status";
import { DISPOSITION_LABEL } from "@/lib/risk/disposition";
import { AnalysisAsOf } from "@/components/analysis-as-of";
import { can } from "@/lib/auth/permissions";
import { RISK_RULES, SEVERITY_ORDER } from "@/lib/risk/catalog";
import { listFindings } from "@/lib/risk/list-findings";
import { FINDING_SORTS, findingsQuery } from "@/lib/risk/types";
import { EmptyState, PageHeader } from "@/components/empty-state";
import { FilterBar, FilterSelect, InvalidFilters, NoMatch } from "@/components/filter-bar";
import { Pager, ResultCount, firstValues, listHref, type SearchParams } from "@/components/pager";
import { SortLinkHeaders } from "@/components/sortable";
import { SeverityChart } from "./severity-chart";
import { supportedPlatformIds } from "@/lib/sources/registry";
import { platformLabel } from "@/lib/sessions/words";
import { Time } from "@/components/time";

export const metadata = { title: "Findings" };

type Sort = (typeof FINDING_SORTS)[number];

const COLUMNS: { key: Sort | null; label: string }[] = [
  { key: "severity", label: "Severity" },
  { key: "rule", label: "Rule" },
  { key: null, label: "Subject" },
  { key: null, label: "Session" },
  { key: "firstSeen", label: "First seen" },
  { key: "lastSeen", label: "Last seen" },
  { key: "status", label: "Status" },
];

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const FINDING_STATUS_OPTIONS = [
  { value: "open", label: "Open" },
  { value: "dismissed", label: "Dismissed (any kind)" },
  { value: "pending_approval", label: DISPOSITION_LABEL.pending_approval },
  { value: "exception", label: DISPOSITION_LABEL.exception },
  { value: "expired", label: DISPOSITION_LABEL.expired },
  { value: "false_positive", label: DISPOSITION_LABEL.false_positive },
  { value: "resolved", label: "Resolved (condition no longer holds)" },
];

// Risk findings raised by the rule catalog (lib/risk). Filters, sort and page live in the URL (a GET form and
// links), so every view is a shareable link.
export default async function FindingsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const user = await requirePage("/findings");
  const analysis = await getAnalysisStatus();
  const raw = firstValues(await searchParams);
  const parsed = findingsQuery.safeParse(raw);
  const q = parsed.success ? parsed.data : findingsQuery.parse({});
  const [page, all] = await Promise.all([listFindings(q), listFindings({ limit: 1 })]);
  const filtered = Boolean(q.rule || q.severity || q.status || q.platform || q.identity || q.session);
  const mayCorrelate = can(user.role, "ingest.write");

  const href = (patch: Record<string, string | number | undefined>) => listHref("/findings", raw, patch);
  const chart = SEVERITY_ORDER.map((sev) => {
    const c = page.bySeverity.find((b) => b.severity === sev);
    return { label: cap(sev), open: c?.open ?? 0, dismissed: c?.dismissed ?? 0 };
  });

  return (
    <>
      <PageHeader
        title="Findings"
        description="Risks the rule catalog found in the correlated sessions: privileged actions without approval or outside JIT windows, human use of non-human identities, token replay, weak sign-ins, stale credentials, orphaned NHIs, over-broad scopes, bulk exports and unapproved AI agent changes. Each finding links to the sessions and events that prove it."
      />
      <AnalysisAsOf status={analysis} mayRun={can(user.role, "ingest.write")} />
      {all.total === 0 ? (
        <EmptyState title="No findings yet">
          <p>
            Findings are raised after each correlation run by the {RISK_RULES.length} rules of the catalog.{" "}
            {mayCorrelate ? (
              <>
                Ingest audit logs on the <Link href="/ingest">Ingest page</Link>, then run the correlation from the{" "}
                <Link href="/sessions">Sessions page</Link>. If sessions exist and nothing shows here, no rule fired on the data.
              </>
            ) : (
              <>Ask an analyst or an administrator to ingest audit logs and run the correlation. No rule has fired on the stored data.</>
            )}
          </p>
        </EmptyState>
      ) : (
        <>
          <section className="panel" aria-labelledby="findings-summary-h">
            <h2 id="findings-summary-h">By severity{filtered ? " (filtered)" : ""}</h2>
            <ul className="findings-counts">
              {chart.map((c) => (
                <li key={c.label}>
                  <Link href={href({ severity: c.label.toLowerCase(), offset: undefined })}>
                    <span className={`sev sev-${c.label.toLowerCase()}`}>{c.label}</span>
                  </Link>{" "}
                  {c.open} open, {c.dismissed} dismissed
                </li>
              ))}
            </ul>
            <SeverityChart data={chart} />
          </section>
          <section className="panel" aria-labelledby="findings-list-h">
            <h2 id="findings-list-h">Findings</h2>
            <FilterBar
              label="Filter findings"
              path="/findings"
              keep={{ identity: q.identity, session: q.session, sort: q.sort, dir: q.dir }}
              filtered={filtered}
            >
              <FilterSelect
                id="f-rule"
                label="Rule"
                name="rule"
                value={q.rule}
                any="Any rule"
                options={RISK_RULES.map((r) => ({ value: r.id, label: r.title }))}
              />
              <FilterSelect
                id="f-severity"
                label="Severity"
                name="severity"
                value={q.severity}
                any="Any severity"
                options={SEVERITY_ORDER.map((s) => ({ value: s, label: cap(s) }))}
              />
              <FilterSelect id="f-status" label="Status" name="status" value={q.status} any="Any status" options={FINDING_STATUS_OPTIONS} />
              <FilterSelect
                id="f-platform"
                label="Platform"
                name="platform"
                value={q.platform}
                any="Any platform"
                options={supportedPlatformIds().map((p) => ({ value: p, label: platformLabel(p) }))}
              />
            </FilterBar>
            {q.identity || q.session ? (
              <p className="muted">
                Showing one {q.identity ? "identity" : "session"}&apos;s findings only.{" "}
                <Link href={href({ identity: undefined, session: undefined, offset: undefined })}>Show all</Link>
              </p>
            ) : null}
            <InvalidFilters issues={parsed.error?.issues} what="findings" />
            {page.total === 0 ? (
              <NoMatch title="No finding matches these filters" clearHref="/findings" />
            ) : (
              <>
                <ResultCount total={page.total} offset={q.offset} shown={page.items.length} one="finding" many="findings" />
                <table className="data" data-testid="findings-table">
                  <caption className="visually-hidden">Risk findings; the sortable column headers are links</caption>
                  <thead>
                    <SortLinkHeaders
                      columns={COLUMNS}
                      sort={q.sort}
                      dir={q.dir}
                      ascFirst={["rule", "status"]}
                      path="/findings"
                      params={raw}
                    />
                  </thead>
                  <tbody>
                    {page.items.map((f) => (
                      <tr key={f.id} data-rule={f.ruleId}>
                        <td>
                          <span className={`sev sev-${f.severity}`}>{cap(f.severity)}</span>
                        </td>
                        <td>
                          <Link href={`/findings/${f.id}`}>{f.title}</Link>
                          <div className="muted">{f.ruleTitle}</div>
                        </td>
                        <td>
                          {f.identity ? (
                            <Link href={`/identities/${f.identity.id}`}>
                              <VisibleText text={f.identity.name} />
                            </Link>
                          ) : (
                            <span className="muted">—</span>
                          )}
                        </td>
                        <td>
                          {f.sessionId ? <Link href={`/sessions/${f.sessionId}`}>Open session</Link> : <span className="muted">—</span>}
                        </td>
                        <td>
                          <Time iso={f.firstSeenAt} />
                        </td>
                        <td>
                          <Time iso={f.lastSeenAt} />
                        </td>
                        <td>
                          {DISPOSITION_LABEL[f.disposition]}
                          {f.riskExpiresAt ? (
                            <div className="muted">
                              until <Time iso={f.riskExpiresAt} />
                            </div>
                          ) : null}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                <Pager total={page.total} offset={q.offset} limit={q.limit} path="/findings" params={raw} />
              </>
            )}
          </section>
        </>
      )}
    </>
  );
}
