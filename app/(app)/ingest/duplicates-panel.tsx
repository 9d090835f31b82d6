"use client";

import Link from "next/link";
import { useState } from "react";
import { useDuplicates } from "@/components/api/ingest";
import { plural } from "@/components/format";
import { SortHeader, type SortState } from "@/components/sortable";
import { VisibleText } from "@/components/visible-text";
import type { DuplicateDto, DuplicateKind, DuplicateSort } from "@/lib/ingest/list-duplicates.types";
import { Time } from "@/components/time";
import { useRevealOnOpen } from "@/components/use-reveal";

// The records a batch counted as duplicates and the stored record each one duplicates (GET
// /api/v1/ingest/batches/{id}/duplicates). Sorted and paged by the server: a re-sent export can have as many
// duplicates as records.

const PAGE = 50;

const KIND_LABEL: Record<DuplicateKind, string> = {
  same_event: "Same event",
  same_bytes: "Same bytes",
  quarantined: "Same unreadable bytes",
};

const KIND_HELP: Record<DuplicateKind, string> = {
  same_event:
    "The platform's event id (with its time) was stored before, from other bytes: kept in the ledger as received, no second event.",
  same_bytes: "These exact bytes were stored before for this source: the ledger holds them once.",
  quarantined: "These exact unreadable bytes were quarantined before for this source: not quarantined again.",
};

export function DuplicatesPanel({ batchId, onShowQuarantine }: { batchId: string; onShowQuarantine: (batchId: string) => void }) {
  const [sort, setSort] = useState<SortState<DuplicateSort>>({ key: "position", dir: 1 });
  const [offset, setOffset] = useState(0);
  const q = useDuplicates(batchId, { sort: sort.key, dir: sort.dir === 1 ? "asc" : "desc", offset, limit: PAGE });
  const toggle = (key: DuplicateSort) => {
    setSort((s) => ({ key, dir: s.key === key ? (s.dir === 1 ? -1 : 1) : 1 }));
    setOffset(0);
  };
  const page = q.data;
  const heading = useRevealOnOpen<HTMLHeadingElement>(batchId);
  return (
    <section className="panel" aria-labelledby="dup-h" style={{ marginTop: "1rem" }} data-testid="duplicates-panel">
      <h2 id="dup-h" style={{ marginTop: 0 }} ref={heading} tabIndex={-1}>
        Duplicates{page ? ` in ${page.batch.fileName}` : ""}
      </h2>
      <p className="muted">
        A duplicate is a record whose evidence was already stored: the same vendor event (its platform event id and time) from an
        overlapping or re-shaped export, or the very same bytes sent again. It makes no second event; each row names the stored record whose
        event stands for it.
      </p>
      {q.isPending ? <p>Loading duplicates…</p> : null}
      {q.error ? <div className="alert alert-error">Could not load the duplicates: {q.error.message}</div> : null}
      {page && page.total === 0 ? <EmptyDuplicates duplicateCount={page.batch.duplicateCount} /> : null}
      {page && page.total > 0 ? (
        <>
          <p className="muted" role="status">
            {plural(page.total, "duplicate")} listed
            {page.total !== page.batch.duplicateCount ? ` (the batch counted ${page.batch.duplicateCount.toLocaleString("en")})` : ""}
            {page.total > page.items.length ? `, ${page.offset + 1}–${page.offset + page.items.length} shown` : ""}.
          </p>
          <table className="data">
            <caption className="visually-hidden">Duplicate records of this batch and the stored records they duplicate</caption>
            <thead>
              <tr>
                <SortHeader column="position" label="Position" sort={sort} onSort={toggle} />
                <th scope="col">Kind</th>
                <th scope="col">Native id</th>
                <th scope="col">Original record</th>
                <SortHeader column="time" label="Original event" sort={sort} onSort={toggle} />
              </tr>
            </thead>
            <tbody>
              {page.items.map((d) => (
                <DuplicateRow key={d.id} d={d} batchId={batchId} onShowQuarantine={onShowQuarantine} />
              ))}
            </tbody>
          </table>
          {page.total > PAGE ? (
            <nav className="table-tools" aria-label="Pages of duplicates" style={{ marginTop: "0.75rem" }}>
              <button
                type="button"
                className="btn btn-small btn-secondary"
                disabled={offset === 0}
                onClick={() => setOffset(Math.max(0, offset - PAGE))}
              >
                ← Previous
              </button>
              <span className="muted">
                Showing {(offset + 1).toLocaleString("en")}–{Math.min(offset + PAGE, page.total).toLocaleString("en")} of{" "}
                {page.total.toLocaleString("en")}
              </span>
              <button
                type="button"
                className="btn btn-small btn-secondary"
                disabled={offset + PAGE >= page.total}
                onClick={() => setOffset(offset + PAGE)}
              >
                Next →
              </button>
            </nav>
          ) : null}
        </>
      ) : null}
    </section>
  );
}

function EmptyDuplicates({ duplicateCount }: { duplicateCount: number }) {
  if (duplicateCount === 0) {
    return <p className="muted">This batch counted no duplicates: each of its records was new, quarantined or skipped.</p>;
  }
  return (
    <p className="muted">
      This batch counted {plural(duplicateCount, "duplicate")}, but it was ingested before duplicates were recorded one by one, so which
      records they were and what they duplicate is not known. Ingesting the same file again lists every record it repeats, each with the
      record it duplicates.
    </p>
  );
}

function DuplicateRow({ d, batchId, onShowQuarantine }: { d: DuplicateDto; batchId: string; onShowQuarantine: (batchId: string) => void }) {
  const o = d.original;
  const ev = o?.event ?? null;
  return (
    <tr data-testid={`duplicate-${d.position}`}>
      <td>
        <VisibleText text={d.fileName} /> #{d.position}
      </td>
      <td title={KIND_HELP[d.kind]}>{KIND_LABEL[d.kind]}</td>
      <td>{d.nativeId ? <code className="clip">{d.nativeId}</code> : <span className="muted">—</span>}</td>
      <td>
        {o === null ? (
          <span className="muted">The {d.kind === "quarantined" ? "quarantined" : "raw"} record it named is no longer found.</span>
        ) : (
          <>
            <div>
              {o.type === "raw_record" ? "Raw record" : "Quarantined record"} {o.id}: <VisibleText text={o.fileName} /> #{o.position}
            </div>
            <div className="muted">
              {o.batchId === batchId ? "earlier in this batch" : o.batchId ? "an earlier batch" : "outside a batch"},{" "}
              {o.type === "raw_record" ? "received" : "quarantined"} <Time iso={o.at} />
            </div>
            {o.type === "quarantined_record" && o.batchId ? (
              <button type="button" className="btn btn-small btn-secondary" onClick={() => onShowQuarantine(o.batchId!)}>
                Review quarantine<span className="visually-hidden"> of the batch holding record {o.id}</span>
              </button>
            ) : null}
          </>
        )}
      </td>
      <td>
        {ev ? (
          <>
            <div>
              <Time iso={ev.time} /> {ev.name ?? ev.className}
            </div>
            <div style={{ display: "flex", gap: "0.5rem", flexWrap: "wrap" }}>
              {ev.sessionId ? <Link href={`/sessions/${encodeURIComponent(ev.sessionId)}`}>Session</Link> : null}
              {o && !o.payloadPurged ? (
                <a href={`/api/v1/events/${encodeURIComponent(ev.id)}/raw`} download>
                  Raw record
                </a>
              ) : (
                <span className="muted">payload purged by retention</span>
              )}
            </div>
            {o && o.eventCount > 1 ? <div className="muted">{plural(o.eventCount, "event")} in the original</div> : null}
          </>
        ) : (
          <span className="muted">{o?.type === "quarantined_record" ? "none (unreadable record)" : "no event"}</span>
        )}
      </td>
    </tr>
  );
}
