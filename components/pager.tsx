import Link from "next/link";

// Paging for the server-rendered list pages (findings, governance, cases, audit). Their filters, sort and page live
// in the URL, so every link here is the current URL with one parameter changed.

export type SearchParams = Record<string, string | string[] | undefined>;
export type ListParams = Record<string, string | undefined>;

/** One value per search parameter: a repeated parameter (?a=1&a=2) counts by its first value, as the forms send one. */
export function firstValues(sp: SearchParams): ListParams {
  return Object.fromEntries(Object.entries(sp).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
}

/** The list at `path` with the current parameters changed by `patch`; undefined or "" drops a parameter. */
export function listHref(path: string, params: ListParams, patch: Record<string, string | number | undefined> = {}): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...params, ...patch })) if (v !== undefined && v !== "") p.set(k, String(v));
  const s = p.toString();
  return s ? `${path}?${s}` : path;
}

/** "12 findings" above a table, with the range shown when the list is longer than one page. */
export function ResultCount({
  total,
  offset,
  shown,
  one,
  many,
}: {
  total: number;
  offset: number;
  shown: number;
  one: string;
  many: string;
}) {
  return (
    <p className="muted" role="status">
      {total.toLocaleString("en")} {total === 1 ? one : many}
      {total > shown ? `, ${offset + 1}–${offset + shown} shown` : ""}
    </p>
  );
}

/** Previous / Next links under a list longer than one page; nothing when everything fits on one page. */
export function Pager({
  total,
  offset,
  limit,
  path,
  params,
}: {
  total: number;
  offset: number;
  limit: number;
  path: string;
  params: ListParams;
}) {
  if (total <= limit) return null;
  const first = offset + 1;
  const last = Math.min(offset + limit, total);
  const prev = offset > 0 ? Math.max(0, offset - limit) : null;
  const next = offset + limit < total ? offset + limit : null;
  return (
    <nav className="table-tools" aria-label="Pages" style={{ marginTop: "0.75rem" }}>
      {prev === null ? (
        // A link that cannot be followed on the first page: still announced as "Previous page", as unavailable.
        <span className="muted" role="link" aria-disabled="true" aria-label="Previous page">
          ← Previous
        </span>
      ) : (
        // The first page has no offset parameter, so its link is the plain filtered URL.
        <Link href={listHref(path, params, { offset: prev || undefined })} aria-label="Previous page">
          ← Previous
        </Link>
      )}
      <span className="muted">
        {offset < total
          ? `Showing ${first.toLocaleString("en")}–${last.toLocaleString("en")} of ${total.toLocaleString("en")}`
          : `Past the end: ${total.toLocaleString("en")} in all`}
      </span>
      {next === null ? (
        <span className="muted" role="link" aria-disabled="true" aria-label="Next page">
          Next →
        </span>
      ) : (
        <Link href={listHref(path, params, { offset: next })} aria-label="Next page">
          Next →
        </Link>
      )}
    </nav>
  );
}
