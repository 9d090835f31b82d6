import Link from "next/link";
import { VisibleText } from "@/components/visible-text";
import { requirePage } from "@/lib/auth/guard";
import { listIdentities } from "@/lib/sessions/list-identities";
import { getSessionFacets } from "@/lib/sessions/get-session-facets";
import { identitiesQuery, IDENTITY_KINDS, type IdentitiesQuery } from "@/lib/sessions/types";
import { kindLabel, platformLabel } from "@/lib/sessions/words";
import { EmptyState, PageHeader } from "@/components/empty-state";
import { plural } from "@/components/format";
import { Pager } from "@/components/pager";
import { Time } from "@/components/time";

export const metadata = { title: "Identities" };

const PAGE = 100;

// Server-rendered: the filter form is a plain GET form and the sort headers and pages are links, so every view is
// a URL and the page works before (and without) client JavaScript.
export default async function IdentitiesPage({ searchParams }: { searchParams: Promise<Record<string, string>> }) {
  await requirePage("/identities");
  const raw = await searchParams;
  const parsed = identitiesQuery.safeParse({ ...raw, limit: PAGE });
  const q: IdentitiesQuery = parsed.success ? parsed.data : identitiesQuery.parse({ limit: PAGE });
  const [page, facets] = await Promise.all([listIdentities(q), getSessionFacets()]);
  const filtered = Boolean(q.q || q.kind || q.platform);

  const href = (patch: Partial<Record<string, string | number | undefined>>) => {
    const p = new URLSearchParams();
    const all = { q: q.q, kind: q.kind, platform: q.platform, sort: q.sort, dir: q.dir, offset: q.offset, ...patch };
    for (const [k, v] of Object.entries(all)) if (v !== undefined && v !== "" && !(k === "offset" && v === 0)) p.set(k, String(v));
    const s = p.toString();
    return s ? `/identities?${s}` : "/identities";
  };
  const sortTh = (key: IdentitiesQuery["sort"], label: string) => {
    const activeSort = q.sort === key;
    const nextDir = activeSort ? (q.dir === "asc" ? "desc" : "asc") : key === "name" || key === "kind" ? "asc" : "desc";
    return (
      <th scope="col" aria-sort={activeSort ? (q.dir === "asc" ? "ascending" : "descending") : "none"}>
        <Link href={href({ sort: key, dir: nextDir, offset: 0 })}>
          {label} <span aria-hidden="true">{activeSort ? (q.dir === "asc" ? "▲" : "▼") : "↕"}</span>
        </Link>
      </th>
    );
  };

  return (
    <>
      <PageHeader
        title="Identities"
        description="People and non-human identities, resolved across platforms, each merge with the rule and evidence behind it."
      />
      {page.total === 0 && !filtered ? (
        <EmptyState title="No identities yet">
          <p>
            Identities are resolved from the actors of ingested audit events by the correlation.{" "}
            {facets.events === 0
              ? "Nothing is ingested yet: ingest audit exports on the Ingest page, then run the correlation from the Sessions page."
              : `${plural(facets.events, "event")} ${facets.events === 1 ? "is" : "are"} stored but not correlated yet: run the correlation from the Sessions page.`}
          </p>
        </EmptyState>
      ) : (
        <section className="panel" aria-labelledby="ids-h">
          <h2 id="ids-h" className="visually-hidden">
            Identities list
          </h2>
          {!parsed.success ? <div className="alert alert-error">Some filters in the address were not valid and were ignored.</div> : null}
          <form
            method="get"
            action="/identities"
            className="form-row"
            role="search"
            aria-label="Filter identities"
            style={{ marginBottom: "0.75rem" }}
          >
            <div className="field" style={{ flex: "2 1 260px" }}>
              <label htmlFor="i-q">Search</label>
              <input id="i-q" name="q" type="search" defaultValue={q.q ?? ""} placeholder="Name, email or any alias" />
            </div>
            <div className="field">
              <label htmlFor="i-kind">Kind</label>
              <select id="i-kind" name="kind" defaultValue={q.kind ?? ""}>
                <option value="">All kinds</option>
                {IDENTITY_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {kindLabel(k)}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="i-platform">Platform</label>
              <select id="i-platform" name="platform" defaultValue={q.platform ?? ""}>
                <option value="">All platforms</option>
                {facets.platforms.map((p) => (
                  <option key={p} value={p}>
                    {platformLabel(p)}
                  </option>
                ))}
              </select>
            </div>
            <input type="hidden" name="sort" value={q.sort} />
            <input type="hidden" name="dir" value={q.dir} />
            <div className="form-submit">
              <button type="submit" className="btn">
                Apply
              </button>
            </div>
          </form>
          <div className="table-tools">
            <span className="muted" data-testid="identities-count">
              {page.total.toLocaleString()} identit{page.total === 1 ? "y" : "ies"}
              {filtered ? " match" : ""}
            </span>
            {filtered ? (
              <Link className="btn btn-small btn-secondary" href="/identities">
                Clear filters
              </Link>
            ) : null}
          </div>
          {page.items.length === 0 ? (
            <p className="muted">No identity matches. Try part of a name, an email or a platform login.</p>
          ) : (
            <table className="data">
              <caption className="visually-hidden">Identities with kind, email, platforms, sessions and last seen</caption>
              <thead>
                <tr>
                  {sortTh("name", "Name")}
                  {sortTh("kind", "Kind")}
                  <th scope="col">Email</th>
                  <th scope="col">Platforms</th>
                  {sortTh("sessions", "Sessions")}
                  {sortTh("lastSeen", "Last seen (UTC)")}
                </tr>
              </thead>
              <tbody>
                {page.items.map((i) => (
                  <tr key={i.id} data-testid="identity-row">
                    <td>
                      <Link href={`/identities/${i.id}`}>
                        <VisibleText text={i.displayName} />
                      </Link>
                    </td>
                    <td>
                      <span className={`kind kind-${i.kind}`}>{kindLabel(i.kind)}</span>
                    </td>
                    <td>{i.primaryEmail ?? <span className="muted">—</span>}</td>
                    <td>{i.platforms.map(platformLabel).join(", ")}</td>
                    <td>
                      {i.sessions > 0 ? (
                        <Link href={`/sessions?identityId=${i.id}&identityName=${encodeURIComponent(i.displayName)}`}>
                          {i.sessions.toLocaleString()}
                        </Link>
                      ) : (
                        "0"
                      )}
                    </td>
                    <td>
                      <Time iso={i.lastSeenAt} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <Pager
            total={page.total}
            offset={q.offset}
            limit={PAGE}
            path="/identities"
            params={{ q: q.q, kind: q.kind, platform: q.platform, sort: q.sort, dir: q.dir }}
          />
        </section>
      )}
    </>
  );
}
