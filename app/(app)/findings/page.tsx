import Link from "next/link";
import { requirePage } from "@/lib/auth/guard";
import { can } from "@/lib/auth/permissions";
import { RISK_RULES, SEVERITY_ORDER } from "@/lib/risk/catalog";
import { listFindings } from "@/lib/risk/list-findings";
import { FINDING_SORTS, findingsQuery } from "@/lib/risk/types";
import { EmptyState, PageHeader } from "@/components/empty-state";
import { fmtTime } from "@/components/format";
import { SeverityChart } from "./severity-chart";

export const metadata = { title: "Findings" };

type SP = Record<string, string | string[] | undefined>;
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

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

// Risk findings raised by the rule catalog (lib/risk). Filters, sort and page live in the URL (a GET form and
// links), so every view is a shareable link.
export default async function FindingsPage({ searchParams }: { searchParams: Promise<SP> }) {
  const user = await requirePage("/findings");
  const raw = Object.fromEntries(Object.entries(await searchParams).map(([k, v]) => [k, one(v)]));
  const parsed = findingsQuery.safeParse(raw);
  const q = parsed.success ? parsed.data : findingsQuery.parse({});
  const [page, all] = await Promise.all([listFindings(q), listFindings({ limit: 1 })]);
  const filtered = Boolean(q.rule || q.severity || q.status || q.platform || q.identity || q.session);
  const mayCorrelate = can(user.role, "ingest.write");

  const href = (patch: Record<string, string | number | undefined>) => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...raw, ...patch })) if (v !== undefined && v !== "") p.set(k, String(v));
    const s = p.toString();
    return s ? `/findings?${s}` : "/findings";
  };
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
            <form className="filters" role="search" aria-label="Filter findings" method="get" action="/findings">
              <div className="field">
                <label htmlFor="f-rule">Rule</label>
                <select id="f-rule" name="rule" defaultValue={q.rule ?? ""}>
                  <option value="">Any rule</option>
                  {RISK_RULES.map((r) => (
                    <option key={r.id} value={r.id}>
                      {r.title}
                    </option>
                  ))}
                </select>
              </div>
              <div className="field">
                <label htmlFor="f-severity">Severity</label>
                <select id="f-severity" name="severity" defaultValue={q.severity ?? ""}>
                  <option value="">Any severity</option>
                  {SEVERITY_ORDER.map((s) => (
                    <option key={s} value={s}>
                      {cap(s)}
                    </option>
                  ))}
                </select>
              </div>
              <div className="field">
                <label htmlFor="f-status">Status</label>
                <select id="f-status" name="status" defaultValue={q.status ?? ""}>
                  <option value="">Any status</option>
                  <option value="open">Open</option>
                  <option value="dismissed">Dismissed</option>
                  <option value="resolved">Condition no longer holds</option>
                </select>
              </div>
              <div className="field">
                <label htmlFor="f-platform">Platform</label>
                <input id="f-platform" name="platform" defaultValue={q.platform ?? ""} placeholder="e.g. aws" />
              </div>
              {q.identity ? <input type="hidden" name="identity" value={q.identity} /> : null}
              {q.session ? <input type="hidden" name="session" value={q.session} /> : null}
              <input type="hidden" name="sort" value={q.sort} />
              <input type="hidden" name="dir" value={q.dir} />
              <div className="field">
                <button type="submit" className="btn btn-secondary">
                  Apply filters
                </button>{" "}
                {filtered ? <Link href="/findings">Clear</Link> : null}
              </div>
            </form>
            {q.identity || q.session ? (
              <p className="muted">
                Showing one {q.identity ? "identity" : "session"}&apos;s findings only.{" "}
                <Link href={href({ identity: undefined, session: undefined, offset: undefined })}>Show all</Link>
              </p>
            ) : null}
            {!parsed.success ? (
              <div className="alert alert-error" role="alert">
                The link&apos;s filters are not valid ({parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}); showing all
                findings instead.
              </div>
            ) : null}
            {page.total === 0 ? (
              <EmptyState title="No finding matches these filters">
                <p>
                  Widen the filters or <Link href="/findings">clear them</Link>.
                </p>
              </EmptyState>
            ) : (
              <>
                <p className="muted" role="status">
                  {page.total.toLocaleString("en")} {page.total === 1 ? "finding" : "findings"}
                  {page.total > page.items.length ? `, ${q.offset + 1}–${q.offset + page.items.length} shown` : ""}
                </p>
                <table className="data" data-testid="findings-table">
                  <caption className="visually-hidden">Risk findings; the sortable column headers are links</caption>
                  <thead>
                    <tr>
                      {COLUMNS.map((c) => {
                        if (!c.key) {
                          return (
                            <th key={c.label} scope="col">
                              {c.label}
                            </th>
                          );
                        }
                        const active = q.sort === c.key;
                        const nextDir = active && q.dir === "desc" ? "asc" : active ? "desc" : c.key === "rule" || c.key === "status" ? "asc" : "desc";
                        return (
                          <th key={c.label} scope="col" aria-sort={active ? (q.dir === "asc" ? "ascending" : "descending") : "none"}>
                            <Link href={href({ sort: c.key, dir: nextDir, offset: undefined })}>
                              {c.label}
                              <span aria-hidden="true"> {active ? (q.dir === "asc" ? "▲" : "▼") : "↕"}</span>
                            </Link>
                          </th>
                        );
                      })}
                    </tr>
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
                        <td>{f.identity ? <Link href={`/identities/${f.identity.id}`}>{f.identity.name}</Link> : <span className="muted">—</span>}</td>
                        <td>{f.sessionId ? <Link href={`/sessions/${f.sessionId}`}>Open session</Link> : <span className="muted">—</span>}</td>
                        <td>{fmtTime(f.firstSeenAt)}</td>
                        <td>{fmtTime(f.lastSeenAt)}</td>
                        <td>
                          {cap(f.status)}
                          {f.resolvedAt ? <div className="muted">no longer holds</div> : null}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                {page.total > q.limit ? (
                  <nav className="table-tools" aria-label="Pages" style={{ marginTop: "0.75rem" }}>
                    {q.offset > 0 ? <Link href={href({ offset: Math.max(0, q.offset - q.limit) })}>← Previous</Link> : null}
                    {q.offset + q.limit < page.total ? <Link href={href({ offset: q.offset + q.limit })}>Next →</Link> : null}
                  </nav>
                ) : null}
              </>
            )}
          </section>
        </>
      )}
    </>
  );
}
