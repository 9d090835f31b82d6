"use client";

import { useMemo, useState } from "react";

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
