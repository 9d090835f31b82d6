import Link from "next/link";
import { requirePage } from "@/lib/auth/guard";
import { can } from "@/lib/auth/permissions";
import { listCases } from "@/lib/cases/list-cases";
import { listUsers } from "@/lib/users/list-users";
import { CASE_STATUSES, SEVERITIES, STATUS_LABEL, casesQuery, type CaseSort, type CasesQuery } from "@/lib/cases/types";
import { EmptyState, PageHeader } from "@/components/empty-state";
import { FilterBar, FilterInput, FilterSelect, InvalidFilters, NoMatch } from "@/components/filter-bar";
import { Pager, ResultCount, firstValues, listHref, type SearchParams } from "@/components/pager";
import { SortLinkHeaders } from "@/components/sortable";
import { NewCaseForm } from "./new-case-form";
import { Time } from "@/components/time";

export const metadata = { title: "Cases" };

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

// The cases list. Filters, sort and page live in the URL (a plain GET form and links), so any view is a link.
export default async function CasesPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const user = await requirePage("/cases");
  const raw = firstValues(await searchParams);
  const parsed = casesQuery.safeParse(raw);
  const q: CasesQuery = parsed.success ? parsed.data : casesQuery.parse({});
  const mayWrite = can(user.role, "cases.write");
  const [page, users] = await Promise.all([listCases(q), listUsers()]);
  const workers = users.filter((u) => !u.disabled && can(u.role, "cases.write"));
  const filtered = Boolean(q.status || q.severity || q.assignee || q.tag || q.q);

  const href = (patch: Record<string, string | number | undefined>) => listHref("/cases", raw, patch);

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
        <FilterBar label="Filter cases" path="/cases" className="cases-filters" keep={{ sort: q.sort, dir: q.dir }} filtered={filtered}>
          <FilterInput id="f-q" label="Search" name="q" type="search" value={q.q} placeholder="Title, description or #number" />
          <FilterSelect
            id="f-status"
            label="Status"
            name="status"
            value={q.status?.join(",")}
            any="Any status"
            options={[
              { value: "open,investigating,pending_review", label: "Not closed" },
              ...CASE_STATUSES.map((s) => ({ value: s, label: STATUS_LABEL[s] })),
            ]}
          />
          <FilterSelect id="f-severity" label="Severity" name="severity" value={q.severity} any="Any severity" options={SEVERITIES} />
          <FilterSelect
            id="f-assignee"
            label="Assignee"
            name="assignee"
            value={q.assignee}
            any="Anyone"
            options={[{ value: "none", label: "Unassigned" }, ...workers.map((u) => ({ value: u.id, label: u.name ?? u.email }))]}
          />
          <FilterInput id="f-tag" label="Tag" name="tag" value={q.tag} />
        </FilterBar>
        <InvalidFilters issues={parsed.error?.issues} what="cases" />
        {page.total === 0 ? (
          filtered ? (
            <NoMatch title="No case matches these filters" clearHref="/cases" />
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
            <ResultCount total={page.total} offset={page.offset} shown={page.items.length} one="case" many="cases" />
            <table className="data" data-testid="cases-table">
              <caption className="visually-hidden">Cases; the sortable column headers are links</caption>
              <thead>
                <SortLinkHeaders columns={COLUMNS} sort={q.sort} dir={q.dir} ascFirst={["title", "number"]} path="/cases" params={raw} />
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
                    <td>
                      <Time iso={c.updatedAt} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <Pager total={page.total} offset={page.offset} limit={page.limit} path="/cases" params={raw} />
          </>
        )}
      </section>
    </>
  );
}
