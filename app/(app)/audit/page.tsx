import Link from "next/link";
import { requirePage } from "@/lib/auth/guard";
import { auditListQuery, listAudit, type AuditEntry } from "@/lib/audit/list-audit";
import { flushAuditToLedger } from "@/lib/audit/flush-audit-to-ledger";
import { EmptyState, PageHeader } from "@/components/empty-state";
import { FilterBar, FilterInput, FilterSelect, NoMatch } from "@/components/filter-bar";
import { Pager, ResultCount, firstValues, type SearchParams } from "@/components/pager";
import { SortLinkHeaders } from "@/components/sortable";
import { Time } from "@/components/time";

export const metadata = { title: "Audit trail" };

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
export default async function AuditPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requirePage("/audit");
  const raw = firstValues(await searchParams);
  const q = auditListQuery.parse(raw);
  // So that the leaf column is filled for everything shown (normally the debounced flush has done it already).
  await flushAuditToLedger().catch(() => undefined);
  const page = await listAudit({ query: q });
  const filtered = FILTER_KEYS.some((k) => Boolean(raw[k]));

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
        <FilterBar
          label="Filter the audit trail"
          path="/audit"
          className="audit-filters"
          keep={{ sort: q.sort, dir: q.dir }}
          filtered={filtered}
        >
          <FilterInput id="a-q" label="Search" name="q" type="search" value={q.q} placeholder="Any text: resource id, IP, details" />
          <FilterInput id="a-actor" label="Actor" name="actor" value={q.actor} placeholder="email" />
          <FilterSelect id="a-action" label="Action" name="action" value={q.action} any="Any action">
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
          </FilterSelect>
          <FilterSelect
            id="a-type"
            label="Resource type"
            name="resourceType"
            value={q.resourceType}
            any="Any"
            options={page.resourceTypes}
          />
          <FilterInput id="a-from" label="From (UTC)" name="from" type="datetime-local" value={raw.from} />
          <FilterInput id="a-to" label="To (UTC)" name="to" type="datetime-local" value={raw.to} />
        </FilterBar>
        {page.total === 0 ? (
          filtered ? (
            <NoMatch title="No audit entry matches these filters" clearHref="/audit" widen="Widen the time range or other filters," />
          ) : (
            <EmptyState title="The audit trail is empty">
              <p>
                Entries appear as soon as anyone signs in, opens a session, identity or case, exports, or changes users, tokens, holds or
                retention.
              </p>
            </EmptyState>
          )
        ) : (
          <>
            <ResultCount total={page.total} offset={page.offset} shown={page.items.length} one="entry" many="entries" />
            <div className="table-scroll">
              <table className="data" data-testid="audit-table">
                <caption className="visually-hidden">Audit entries; the sortable column headers are links</caption>
                <thead>
                  <SortLinkHeaders
                    columns={COLUMNS}
                    sort={q.sort}
                    dir={q.dir}
                    ascFirst={["actor", "action", "resource", "ip"]}
                    path="/audit"
                    params={raw}
                  />
                </thead>
                <tbody>
                  {page.items.map((e) => {
                    const link = resourceHref(e);
                    return (
                      <tr key={e.id}>
                        <td className="nowrap">
                          <Time iso={e.at} />
                        </td>
                        <td>{e.actorEmail ?? <span className="muted">system</span>}</td>
                        <td>
                          <code>{e.action}</code>
                        </td>
                        <td className="clip-cell">
                          {e.resourceType ? (
                            <>
                              {e.resourceType}{" "}
                              {e.resourceId ? (
                                link ? (
                                  <Link href={link}>{e.resourceId.slice(0, 13)}</Link>
                                ) : (
                                  <span>{e.resourceId.slice(0, 13)}</span>
                                )
                              ) : null}
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
            <Pager total={page.total} offset={page.offset} limit={page.limit} path="/audit" params={raw} />
          </>
        )}
      </section>
    </>
  );
}
