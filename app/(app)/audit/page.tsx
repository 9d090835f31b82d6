import Link from "next/link";
import { requirePage } from "@/lib/auth/guard";
import { auditListQuery, listAudit, type AuditEntry } from "@/lib/audit/list-audit";
import { flushAuditToLedger } from "@/lib/audit/flush-audit-to-ledger";
import { EmptyState, PageHeader } from "@/components/empty-state";
import { fmtTime } from "@/components/format";

export const metadata = { title: "Audit trail" };

type SP = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
const FILTER_KEYS = ["actor", "action", "resourceType", "from", "to", "q"] as const;

const COLUMNS: { key: "at" | "actor" | "action" | "resource" | "ip" | null; label: string }[] = [
  { key: "at", label: "Time" },
  { key: "actor", label: "Actor" },
  { key: "action", label: "Action" },
  { key: "resource", label: "Resource" },
  { key: "ip", label: "IP" },
  { key: null, label: "User agent" },
  { key: null, label: "Ledger leaf" },
];

// Where a resource of the trail can be opened, when it has a page.
function resourceHref(e: AuditEntry): string | null {
  if (!e.resourceId) return null;
  if (e.resourceType === "session") return `/sessions/${e.resourceId}`;
  if (e.resourceType === "identity") return `/identities/${e.resourceId}`;
  if (e.resourceType === "case") return `/cases/${e.resourceId}`;
  if (e.resourceType === "legal_hold" || e.resourceType === "source" || e.resourceType === "job") return "/retention";
  return null;
}

// The dashboard's own audit trail: who did and saw what, from where, each entry also a ledger leaf. Filters, sort
// and page are in the URL (a GET form and links), and the export links carry the same filters.
export default async function AuditPage({ searchParams }: { searchParams: Promise<SP> }) {
  await requirePage("/audit");
  const raw = Object.fromEntries(Object.entries(await searchParams).map(([k, v]) => [k, one(v)]));
  const q = auditListQuery.parse(raw);
  // So that the leaf column is filled for everything shown (normally the debounced flush has done it already).
  await flushAuditToLedger().catch(() => undefined);
  const page = await listAudit({ query: q });
  const filtered = FILTER_KEYS.some((k) => Boolean(raw[k]));

  const href = (patch: Record<string, string | number | undefined>) => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...raw, ...patch })) if (v !== undefined && v !== "") p.set(k, String(v));
    const s = p.toString();
    return s ? `/audit?${s}` : "/audit";
  };
  const exportHref = (format: "csv" | "ndjson") => {
    const p = new URLSearchParams({ format });
    for (const k of FILTER_KEYS) if (raw[k]) p.set(k, raw[k]!);
    return `/api/v1/audit/export?${p.toString()}`;
  };

  return (
    <>
      <PageHeader
        title="Audit trail"
        description="Every sign-in, view of a session, identity or case, export, legal hold, purge, user, role and API token change, with actor, time, IP and user agent. Each entry is also appended to the evidence ledger."
        actions={
          <span className="form-row">
            <a className="btn btn-secondary btn-small" href={exportHref("csv")} download data-testid="audit-export-csv">
              Export CSV
            </a>
            <a className="btn btn-secondary btn-small" href={exportHref("ndjson")} download>
              Export NDJSON
            </a>
          </span>
        }
      />
      <section className="panel" aria-labelledby="audit-h">
        <h2 id="audit-h" className="visually-hidden">
          Audit entries
        </h2>
        <form className="filters audit-filters" role="search" aria-label="Filter the audit trail" method="get" action="/audit">
          <div className="field">
            <label htmlFor="a-q">Search</label>
            <input id="a-q" name="q" type="search" defaultValue={q.q ?? ""} placeholder="Any text: resource id, IP, details" />
          </div>
          <div className="field">
            <label htmlFor="a-actor">Actor</label>
            <input id="a-actor" name="actor" defaultValue={q.actor ?? ""} placeholder="email" />
          </div>
          <div className="field">
            <label htmlFor="a-action">Action</label>
            <select id="a-action" name="action" defaultValue={q.action ?? ""}>
              <option value="">Any action</option>
              {[...new Set(page.actions.map((a) => a.split(".")[0]))].map((g) => (
                <optgroup key={g} label={g}>
                  <option value={g}>{g}.* (all)</option>
                  {page.actions
                    .filter((a) => a.startsWith(g + "."))
                    .map((a) => (
                      <option key={a} value={a}>
                        {a}
                      </option>
                    ))}
                </optgroup>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="a-type">Resource type</label>
            <select id="a-type" name="resourceType" defaultValue={q.resourceType ?? ""}>
              <option value="">Any</option>
              {page.resourceTypes.map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="a-from">From (UTC)</label>
            <input id="a-from" name="from" type="datetime-local" defaultValue={raw.from ?? ""} />
          </div>
          <div className="field">
            <label htmlFor="a-to">To (UTC)</label>
            <input id="a-to" name="to" type="datetime-local" defaultValue={raw.to ?? ""} />
          </div>
          <input type="hidden" name="sort" value={q.sort} />
          <input type="hidden" name="dir" value={q.dir} />
          <div className="field">
            <button type="submit" className="btn btn-secondary">
              Apply filters
            </button>{" "}
            {filtered ? <Link href="/audit">Clear</Link> : null}
          </div>
        </form>
        {page.total === 0 ? (
          filtered ? (
            <EmptyState title="No audit entry matches these filters">
              <p>
                Widen the time range or other filters, or <Link href="/audit">clear them</Link>.
              </p>
            </EmptyState>
          ) : (
            <EmptyState title="The audit trail is empty">
              <p>Entries appear as soon as anyone signs in, opens a session, identity or case, exports, or changes users, tokens, holds or retention.</p>
            </EmptyState>
          )
        ) : (
          <>
            <p className="muted" role="status">
              {page.total.toLocaleString("en")} {page.total === 1 ? "entry" : "entries"}
              {page.total > page.entries.length ? `, ${page.offset + 1}–${page.offset + page.entries.length} shown` : ""}
            </p>
            <div className="table-scroll">
              <table className="data" data-testid="audit-table">
                <caption className="visually-hidden">Audit entries; the sortable column headers are links</caption>
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
                      const nextDir = active && q.dir === "desc" ? "asc" : active ? "desc" : c.key === "at" ? "desc" : "asc";
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
                  {page.entries.map((e) => {
                    const link = resourceHref(e);
                    return (
                      <tr key={e.id}>
                        <td className="nowrap">{fmtTime(e.at)}</td>
                        <td>{e.actorEmail ?? <span className="muted">system</span>}</td>
                        <td>
                          <code>{e.action}</code>
                        </td>
                        <td className="clip-cell">
                          {e.resourceType ? (
                            <>
                              {e.resourceType}{" "}
                              {e.resourceId ? link ? <Link href={link}>{e.resourceId.slice(0, 13)}</Link> : <span>{e.resourceId.slice(0, 13)}</span> : null}
                            </>
                          ) : (
                            <span className="muted">—</span>
                          )}
                        </td>
                        <td>{e.ip ?? <span className="muted">—</span>}</td>
                        <td className="clip-cell ua-cell" title={e.userAgent ?? undefined}>
                          {e.userAgent ?? <span className="muted">—</span>}
                        </td>
                        <td>{e.leafIndex ?? <span className="muted">pending</span>}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
            {page.total > page.limit ? (
              <nav className="table-tools" aria-label="Pages" style={{ marginTop: "0.75rem" }}>
                {page.offset > 0 ? <Link href={href({ offset: Math.max(0, page.offset - page.limit) })}>← Previous</Link> : null}
                {page.offset + page.limit < page.total ? <Link href={href({ offset: page.offset + page.limit })}>Next →</Link> : null}
              </nav>
            ) : null}
          </>
        )}
      </section>
    </>
  );
}
