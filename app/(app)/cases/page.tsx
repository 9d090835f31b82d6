import Link from "next/link";
import { requirePage } from "@/lib/auth/guard";
import { can } from "@/lib/auth/permissions";
import { listCases } from "@/lib/cases/list-cases";
import { listUsers } from "@/lib/users/list-users";
import { CASE_STATUSES, SEVERITIES, STATUS_LABEL, casesQuery, type CaseSort, type CasesQuery } from "@/lib/cases/types";
import { EmptyState, PageHeader } from "@/components/empty-state";
import { fmtTime } from "@/components/format";
import { NewCaseForm } from "./new-case-form";

export const metadata = { title: "Cases" };

type SP = Record<string, string | string[] | undefined>;

const COLUMNS: { key: CaseSort | null; label: string }[] = [
  { key: "number", label: "#" },
  { key: "title", label: "Title" },
  { key: "status", label: "Status" },
  { key: "severity", label: "Severity" },
  { key: null, label: "Assignee" },
  { key: null, label: "Tags" },
  { key: null, label: "Evidence" },
  { key: null, label: "Open tasks" },
  { key: "updated", label: "Last change" },
];

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

// The cases list. Filters, sort and page live in the URL (a plain GET form and links), so any view is a link.
export default async function CasesPage({ searchParams }: { searchParams: Promise<SP> }) {
  const user = await requirePage("/cases");
  const raw = Object.fromEntries(Object.entries(await searchParams).map(([k, v]) => [k, one(v)]));
  const parsed = casesQuery.safeParse(raw);
  const q: CasesQuery = parsed.success ? parsed.data : casesQuery.parse({});
  const mayWrite = can(user.role, "cases.write");
  const [page, users] = await Promise.all([listCases(q), listUsers()]);
  const workers = users.filter((u) => !u.disabled && can(u.role, "cases.write"));
  const filtered = Boolean(q.status || q.severity || q.assignee || q.tag || q.q);

  const href = (patch: Record<string, string | number | undefined>) => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...raw, ...patch })) if (v !== undefined && v !== "") p.set(k, String(v));
    const s = p.toString();
    return s ? `/cases?${s}` : "/cases";
  };

  return (
    <>
      <PageHeader
        title="Cases"
        description="Investigations with their evidence, notes, tasks and history; every change is recorded with who, when, before and after."
      />
      {mayWrite ? <NewCaseForm users={workers.map((u) => ({ id: u.id, label: u.name ? `${u.name} (${u.email})` : u.email }))} /> : null}
      <section className="panel" aria-labelledby="cases-h">
        <h2 id="cases-h" className="visually-hidden">
          Cases list
        </h2>
        <form className="filters cases-filters" role="search" aria-label="Filter cases" method="get" action="/cases">
          <div className="field">
            <label htmlFor="f-q">Search</label>
            <input id="f-q" name="q" type="search" defaultValue={q.q ?? ""} placeholder="Title, description or #number" />
          </div>
          <div className="field">
            <label htmlFor="f-status">Status</label>
            <select id="f-status" name="status" defaultValue={q.status?.join(",") ?? ""}>
              <option value="">Any status</option>
              <option value="open,investigating,pending_review">Not closed</option>
              {CASE_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {STATUS_LABEL[s]}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="f-severity">Severity</label>
            <select id="f-severity" name="severity" defaultValue={q.severity ?? ""}>
              <option value="">Any severity</option>
              {SEVERITIES.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="f-assignee">Assignee</label>
            <select id="f-assignee" name="assignee" defaultValue={q.assignee ?? ""}>
              <option value="">Anyone</option>
              <option value="none">Unassigned</option>
              {workers.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name ?? u.email}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="f-tag">Tag</label>
            <input id="f-tag" name="tag" defaultValue={q.tag ?? ""} />
          </div>
          <input type="hidden" name="sort" value={q.sort} />
          <input type="hidden" name="dir" value={q.dir} />
          <div className="field">
            <button type="submit" className="btn btn-secondary">
              Apply filters
            </button>{" "}
            {filtered ? <Link href="/cases">Clear</Link> : null}
          </div>
        </form>
        {!parsed.success ? (
          <div className="alert alert-error" role="alert">
            The link&apos;s filters are not valid ({parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}); showing all cases
            instead.
          </div>
        ) : null}
        {page.total === 0 ? (
          filtered ? (
            <EmptyState title="No case matches these filters">
              <p>
                Widen the filters or <Link href="/cases">clear them</Link>.
              </p>
            </EmptyState>
          ) : (
            <EmptyState title="No cases yet">
              <p>
                {mayWrite
                  ? "Open a case with the form above, or use “Add to case” on a session, identity, finding or lineage graph: it can create the case on the spot."
                  : "Analysts and administrators open cases from sessions, identities, findings and lineage graphs. Cases they open are listed here, read-only for your role."}
              </p>
            </EmptyState>
          )
        ) : (
          <>
            <p className="muted" role="status">
              {page.total.toLocaleString("en")} {page.total === 1 ? "case" : "cases"}
              {page.total > page.items.length ? `, ${page.offset + 1}–${page.offset + page.items.length} shown` : ""}
            </p>
            <table className="data" data-testid="cases-table">
              <caption className="visually-hidden">Cases; the sortable column headers are links</caption>
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
                    const nextDir = active && q.dir === "desc" ? "asc" : active ? "desc" : c.key === "title" || c.key === "number" ? "asc" : "desc";
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
                {page.items.map((c) => (
                  <tr key={c.id}>
                    <td>{c.number}</td>
                    <td>
                      <Link href={`/cases/${c.id}`}>{c.title}</Link>
                    </td>
                    <td>
                      <span className={`case-status case-status-${c.status}`}>{STATUS_LABEL[c.status]}</span>
                    </td>
                    <td>
                      <span className={`risk-${c.severity}`}>{c.severity}</span>
                    </td>
                    <td>{c.assignee ? (c.assignee.name ?? c.assignee.email) : <span className="muted">unassigned</span>}</td>
                    <td>
                      {c.tags.map((t) => (
                        <Link key={t} href={href({ tag: t, offset: undefined })} className="kind case-tag">
                          {t}
                        </Link>
                      ))}
                    </td>
                    <td>{c.items}</td>
                    <td>{c.openTasks}</td>
                    <td>{fmtTime(c.updatedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
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
