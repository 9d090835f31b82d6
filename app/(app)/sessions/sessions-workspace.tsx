"use client";

import { useQueries } from "@tanstack/react-query";
import { useVirtualizer } from "@tanstack/react-virtual";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useMemo, useRef, useState } from "react";
import { sessionsPageQuery } from "@/components/api/sessions";
import { fmtDuration } from "@/components/format";
import { SortHeader, type SortState } from "@/components/sortable";
import { VisibleText } from "@/components/visible-text";
import type { IdentityKind, Page, SessionListItem, SessionSort } from "@/lib/sessions/types";
import { kindLabel, platformLabel } from "@/lib/sessions/words";
import { Time } from "@/components/time";

// The sessions list. Every filter, the sort and the scroll anchor live in the URL, so any view is a link. The table
// is virtualized over the whole result: the scrollbar spans `total` rows and only the rows in view (plus a margin)
// are in the DOM; their data arrives in pages of PAGE_SIZE fetched when first scrolled into view and cached by
// react-query, so 100k sessions scroll like 100.
const PAGE_SIZE = 200;
const ROW_HEIGHT = 44;
const FILTER_KEYS = ["from", "to", "platform", "kind", "identityId", "risk", "q"] as const;

type Filters = Partial<Record<(typeof FILTER_KEYS)[number] | "sort" | "dir", string>>;

function readFilters(sp: URLSearchParams): Filters {
  const f: Filters = {};
  for (const k of [...FILTER_KEYS, "sort", "dir"] as const) {
    const v = sp.get(k);
    if (v) f[k] = v;
  }
  return f;
}

/** datetime-local value (no zone) <-> ISO UTC: the inputs are in UTC, as every time on these pages. */
const toInput = (iso?: string) => (iso ? iso.slice(0, 16) : "");
const fromInput = (v: string) => (v ? `${v}:00Z` : "");

export function SessionsWorkspace({ platforms, kinds, riskLevels }: { platforms: string[]; kinds: IdentityKind[]; riskLevels: string[] }) {
  const router = useRouter();
  const pathname = usePathname();
  const sp = useSearchParams();
  const filters = useMemo(() => readFilters(new URLSearchParams(sp.toString())), [sp]);
  const [text, setText] = useState(filters.q ?? "");
  const identityName = sp.get("identityName");

  // The address a change was last sent to, until the router shows it: a second change made before then (a platform
  // picked while the search box's pause runs out) builds on it instead of on the address still rendered, which
  // would drop the first change.
  // The search box's timer calls the setParams of the render it was set in: both the address and the pending change
  // are read from refs, so that it builds on what is current when it fires.
  const pending = useRef<string | null>(null);
  const shown = useRef(sp.toString());
  shown.current = sp.toString();
  if (pending.current !== null && pending.current === shown.current) pending.current = null;
  const setParams = (patch: Filters & { identityName?: string }) => {
    const next = new URLSearchParams(pending.current ?? shown.current);
    for (const [k, v] of Object.entries(patch)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    if (!next.get("identityId")) next.delete("identityName");
    const qs = next.toString();
    pending.current = qs;
    router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
  };

  // Free text applies after a pause in typing.
  useEffect(() => {
    if ((filters.q ?? "") === text) return;
    const t = setTimeout(() => setParams({ q: text.trim() }), 350);
    return () => clearTimeout(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [text]);

  const queryString = useMemo(() => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(filters)) if (v) p.set(k, v);
    return p.toString();
  }, [filters]);

  const scrollRef = useRef<HTMLDivElement>(null);
  const [total, setTotal] = useState<number | null>(null);
  // The virtualizer's functions change on every render by design; this component does not memoize over them.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: total ?? 0,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const pagesInView = useMemo(() => {
    const set = new Set<number>([0]);
    for (const it of items) set.add(Math.floor(it.index / PAGE_SIZE));
    return [...set].sort((a, b) => a - b);
  }, [items]);

  const pages = useQueries({
    queries: pagesInView.map((p) => ({ ...sessionsPageQuery(queryString, p, PAGE_SIZE), staleTime: 60_000 })),
  });
  const byPage = new Map<number, Page<SessionListItem>>();
  pagesInView.forEach((p, i) => {
    const d = pages[i]?.data;
    if (d) byPage.set(p, d);
  });
  const first = pages[0];
  const firstTotal = first?.data?.total;
  useEffect(() => {
    if (firstTotal !== undefined) setTotal(firstTotal);
  }, [firstTotal]);
  // A new filter starts at the top.
  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
  }, [queryString]);

  const sort: SortState<SessionSort> = { key: (filters.sort as SessionSort) ?? "start", dir: filters.dir === "asc" ? 1 : -1 };
  const onSort = (key: SessionSort) =>
    setParams({
      sort: key,
      dir: sort.key === key ? (sort.dir === 1 ? "desc" : "asc") : key === "identity" || key === "platform" ? "asc" : "desc",
    });
  const th = (key: SessionSort, label: string) => <SortHeader column={key} label={label} sort={sort} onSort={onSort} />;

  const active = FILTER_KEYS.filter((k) => filters[k]);
  const rowAt = (index: number) => byPage.get(Math.floor(index / PAGE_SIZE))?.items[index % PAGE_SIZE];
  const padTop = items.length ? items[0].start : 0;
  const padBottom = items.length ? virtualizer.getTotalSize() - items[items.length - 1].end : 0;

  return (
    <section className="panel" aria-labelledby="sessions-h">
      <h2 id="sessions-h" className="visually-hidden">
        Sessions list
      </h2>
      <form className="filters" role="search" aria-label="Filter sessions" onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor="f-q">Search</label>
          <input
            id="f-q"
            type="search"
            placeholder="Identity, session key, action or object"
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="f-from">From (UTC)</label>
          <input
            id="f-from"
            type="datetime-local"
            value={toInput(filters.from)}
            onChange={(e) => setParams({ from: fromInput(e.target.value) })}
          />
        </div>
        <div className="field">
          <label htmlFor="f-to">To (UTC)</label>
          <input
            id="f-to"
            type="datetime-local"
            value={toInput(filters.to)}
            onChange={(e) => setParams({ to: fromInput(e.target.value) })}
          />
        </div>
        <div className="field">
          <label htmlFor="f-platform">Platform</label>
          <select id="f-platform" value={filters.platform ?? ""} onChange={(e) => setParams({ platform: e.target.value })}>
            <option value="">All platforms</option>
            {platforms.map((p) => (
              <option key={p} value={p}>
                {platformLabel(p)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-kind">Identity kind</label>
          <select id="f-kind" value={filters.kind ?? ""} onChange={(e) => setParams({ kind: e.target.value })}>
            <option value="">All kinds</option>
            {kinds.map((k) => (
              <option key={k} value={k}>
                {kindLabel(k)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-risk">Risk</label>
          <select id="f-risk" value={filters.risk ?? ""} onChange={(e) => setParams({ risk: e.target.value })}>
            <option value="">Any risk</option>
            {(["critical", "high", "medium", "low"] as const).map((r) => (
              <option key={r} value={r} disabled={!riskLevels.includes(r)}>
                {r}
                {riskLevels.includes(r) ? "" : " (none)"}
              </option>
            ))}
            <option value="none">Not scored</option>
          </select>
        </div>
      </form>
      <div className="table-tools">
        {filters.identityId ? (
          <span className="chip">
            Identity: {identityName ?? filters.identityId}
            <button type="button" aria-label="Remove the identity filter" onClick={() => setParams({ identityId: "" })}>
              ×
            </button>
          </span>
        ) : null}
        <span className="muted" role="status" aria-live="polite" data-testid="sessions-count">
          {total === null
            ? "Loading sessions…"
            : `${total.toLocaleString()} session${total === 1 ? "" : "s"}${active.length ? (total === 1 ? " matches these filters" : " match these filters") : ""}`}
        </span>
        {active.length ? (
          <button
            type="button"
            className="btn btn-small btn-secondary"
            onClick={() => {
              setText("");
              setParams(Object.fromEntries(FILTER_KEYS.map((k) => [k, ""])));
            }}
          >
            Clear filters
          </button>
        ) : null}
        {riskLevels.length === 0 ? (
          <span className="muted">Risk is not scored yet in this build: every session shows as not scored.</span>
        ) : null}
      </div>
      {first?.error ? <div className="alert alert-error">Could not load sessions: {first.error.message}</div> : null}
      {total === 0 ? (
        <p className="muted">No session matches these filters. Widen the time range, clear a filter, or search for something else.</p>
      ) : (
        <div ref={scrollRef} className="vscroll" tabIndex={0} aria-label="Sessions (scrollable)">
          <table className="data vtable" aria-rowcount={(total ?? 0) + 1}>
            <caption className="visually-hidden">
              Sessions: start, duration, platform, identity, initiator, what happened, events, links, risk
            </caption>
            <thead>
              <tr>
                {th("start", "Started (UTC)")}
                {th("end", "Duration")}
                {th("platform", "Platform")}
                {th("identity", "Identity")}
                <th scope="col">Initiated by</th>
                <th scope="col">What happened</th>
                {th("events", "Events")}
                <th scope="col">Links</th>
                <th scope="col">Risk</th>
              </tr>
            </thead>
            <tbody>
              {padTop > 0 ? (
                <tr aria-hidden="true">
                  <td colSpan={9} style={{ height: padTop, padding: 0, border: 0 }} />
                </tr>
              ) : null}
              {items.map((it) => {
                const s = rowAt(it.index);
                if (!s) {
                  return (
                    <tr key={it.key} style={{ height: ROW_HEIGHT }} aria-rowindex={it.index + 2}>
                      <td colSpan={9} className="muted">
                        Loading…
                      </td>
                    </tr>
                  );
                }
                return (
                  <tr key={s.id} style={{ height: ROW_HEIGHT }} aria-rowindex={it.index + 2} data-testid="session-row">
                    <td>
                      <Link href={`/sessions/${s.id}`}>
                        <Time iso={s.startedAt} />
                      </Link>
                    </td>
                    <td>{fmtDuration(s.startedAt, s.endedAt)}</td>
                    <td>{platformLabel(s.platform)}</td>
                    <td className="clip-cell" title={s.identity?.email ?? undefined}>
                      {s.identity ? (
                        <>
                          <button
                            type="button"
                            className="linklike"
                            onClick={() => setParams({ identityId: s.identity!.id, identityName: s.identity!.name })}
                            title="Show only this identity's sessions"
                          >
                            <VisibleText text={s.identity.name} />
                          </button>{" "}
                          <span className={`kind kind-${s.identity.kind}`}>{kindLabel(s.identity.kind)}</span>
                        </>
                      ) : (
                        <span className="muted">no actor</span>
                      )}
                    </td>
                    <td className="clip-cell">
                      {s.initiator && s.initiator.id !== s.identity?.id ? (
                        s.initiator.name
                      ) : (
                        <span className="muted">{s.initiator ? "same" : "unknown"}</span>
                      )}
                    </td>
                    <td className="clip-cell" title={`${s.headline}\nActions: ${s.actions.join(", ")}`} data-testid="session-headline">
                      {s.headline}
                    </td>
                    <td>{s.eventCount.toLocaleString()}</td>
                    <td>{s.links || ""}</td>
                    <td>
                      {s.riskLevel ? <span className={`risk risk-${s.riskLevel}`}>{s.riskLevel}</span> : <span className="muted">—</span>}
                    </td>
                  </tr>
                );
              })}
              {padBottom > 0 ? (
                <tr aria-hidden="true">
                  <td colSpan={9} style={{ height: padBottom, padding: 0, border: 0 }} />
                </tr>
              ) : null}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
