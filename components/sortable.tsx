"use client";

import Link from "next/link";
import { useMemo, useState } from "react";
import { listHref, type ListParams } from "@/components/pager";

// Client-side sorting for the small tables (users, batches, tokens): click a header to sort, click again to
// reverse; aria-sort tells screen readers the order.
export type SortState<K extends string> = { key: K; dir: 1 | -1 };

export function useSorted<T, K extends string & keyof T>(rows: T[], initial: SortState<K>) {
  const [sort, setSort] = useState<SortState<K>>(initial);
  const sorted = useMemo(
    () =>
      [...rows].sort((a, b) => {
        const av = a[sort.key] ?? "";
        const bv = b[sort.key] ?? "";
        return av < bv ? -sort.dir : av > bv ? sort.dir : 0;
      }),
    [rows, sort],
  );
  const toggle = (key: K) => setSort((s) => ({ key, dir: s.key === key ? (s.dir === 1 ? -1 : 1) : 1 }));
  return { sorted, sort, toggle };
}

export function SortHeader<K extends string>({
  column,
  label,
  sort,
  onSort,
}: {
  column: K;
  label: string;
  sort: SortState<K>;
  onSort: (key: K) => void;
}) {
  const active = sort.key === column;
  return (
    <th scope="col" aria-sort={active ? (sort.dir === 1 ? "ascending" : "descending") : "none"}>
      <button type="button" onClick={() => onSort(column)}>
        {label}
        <span aria-hidden="true">{active ? (sort.dir === 1 ? "▲" : "▼") : "↕"}</span>
      </button>
    </th>
  );
}

// The header row of the server-rendered list pages, whose sort is in the URL: each sortable header is a link to the
// same list sorted by it (back to the first page). A first click sorts names ascending and times and counts
// descending (`ascFirst` names the former); a click on the active column reverses it.
export function SortLinkHeaders<K extends string>({
  columns,
  sort,
  dir,
  ascFirst,
  path,
  params,
}: {
  columns: readonly { key: K | null; label: string }[];
  sort: K;
  dir: "asc" | "desc";
  ascFirst: readonly K[];
  path: string;
  params: ListParams;
}) {
  return (
    <tr>
      {columns.map((c) => {
        if (!c.key) {
          return (
            <th key={c.label} scope="col">
              {c.label}
            </th>
          );
        }
        const active = sort === c.key;
        const nextDir = active ? (dir === "desc" ? "asc" : "desc") : ascFirst.includes(c.key) ? "asc" : "desc";
        return (
          <th key={c.label} scope="col" aria-sort={active ? (dir === "asc" ? "ascending" : "descending") : "none"}>
            <Link href={listHref(path, params, { sort: c.key, dir: nextDir, offset: undefined })}>
              {c.label}
              <span aria-hidden="true"> {active ? (dir === "asc" ? "▲" : "▼") : "↕"}</span>
            </Link>
          </th>
        );
      })}
    </tr>
  );
}
