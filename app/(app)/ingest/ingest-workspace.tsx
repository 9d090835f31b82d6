"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useMemo, useRef, useState, type DragEvent } from "react";
import { errorMessage } from "@/components/api/client";
import { VisibleText } from "@/components/visible-text";
import {
  ingestKeys,
  reprocessQuarantine,
  uploadFile,
  useBatches,
  usePlatforms,
  useQuarantine,
  type UploadResult,
} from "@/components/api/ingest";
import { useApiMutation } from "@/components/api/mutation";
import { SortHeader, useSorted } from "@/components/sortable";
import type { BatchDto } from "@/lib/ingest/list-batches";
import { DuplicatesPanel } from "./duplicates-panel";
import { platformLabel } from "@/lib/sessions/words";
import { plural } from "@/components/format";
import { Time } from "@/components/time";
import { useRevealOnOpen } from "@/components/use-reveal";

type UploadState = {
  key: string;
  file: File;
  status: "waiting" | "uploading" | "processing" | "done" | "failed";
  sent: number;
  result?: UploadResult;
  error?: string;
};

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ["KB", "MB", "GB", "TB"];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

export function IngestWorkspace({ canWrite }: { canWrite: boolean }) {
  const qc = useQueryClient();
  const platforms = usePlatforms();
  const batches = useBatches();
  const [uploads, setUploads] = useState<UploadState[]>([]);
  const [platform, setPlatform] = useState("");
  const [dragging, setDragging] = useState(false);
  const [selectedBatch, setSelectedBatch] = useState<string | null>(null);
  const [duplicatesOf, setDuplicatesOf] = useState<string | null>(null);
  const running = useRef(false);
  const queue = useRef<UploadState[]>([]);
  const inputRef = useRef<HTMLInputElement>(null);

  const patch = (key: string, p: Partial<UploadState>) => setUploads((list) => list.map((u) => (u.key === key ? { ...u, ...p } : u)));

  async function drain() {
    if (running.current) return;
    running.current = true;
    while (queue.current.length) {
      const item = queue.current.shift()!;
      patch(item.key, { status: "uploading" });
      try {
        const result = await uploadFile(item.file, platform, (sent) =>
          patch(item.key, { sent, status: sent >= item.file.size ? "processing" : "uploading" }),
        );
        patch(item.key, {
          status: result.status === "completed" ? "done" : "failed",
          result,
          sent: item.file.size,
          error: result.error ?? undefined,
        });
      } catch (err) {
        patch(item.key, { status: "failed", error: errorMessage(err) });
      }
      await qc.invalidateQueries({ queryKey: ingestKeys.batches() });
    }
    running.current = false;
  }

  function addFiles(files: FileList | null) {
    if (!files || files.length === 0) return;
    const items = Array.from(files).map((file, i) => ({
      key: `${Date.now()}-${i}-${file.name}`,
      file,
      status: "waiting" as const,
      sent: 0,
    }));
    setUploads((list) => [...items, ...list]);
    queue.current.push(...items);
    void drain();
  }

  function onDrop(e: DragEvent<HTMLDivElement>) {
    e.preventDefault();
    setDragging(false);
    addFiles(e.dataTransfer.files);
  }

  return (
    <>
      {canWrite ? (
        <section className="panel" aria-labelledby="upload-h">
          <h2 id="upload-h" style={{ marginTop: 0 }}>
            Upload audit exports
          </h2>
          <div className="form-row" style={{ marginBottom: "0.75rem" }}>
            <div className="field" style={{ maxWidth: 360 }}>
              <label htmlFor="platform">Platform</label>
              <select id="platform" value={platform} onChange={(e) => setPlatform(e.target.value)}>
                <option value="">Detect from each file</option>
                {(platforms.data ?? []).map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.label}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <div
            className={`dropzone${dragging ? " dragging" : ""}`}
            onDragOver={(e) => {
              e.preventDefault();
              setDragging(true);
            }}
            onDragLeave={() => setDragging(false)}
            onDrop={onDrop}
            data-testid="dropzone"
          >
            <p>
              <strong>Drop files here</strong> — JSON arrays, NDJSON, API page envelopes, or .gz of these. Several at once is fine.
            </p>
            <button type="button" className="btn btn-secondary" onClick={() => inputRef.current?.click()}>
              Choose files…
            </button>
            <input
              ref={inputRef}
              type="file"
              multiple
              hidden
              aria-label="Choose files to ingest"
              data-testid="file-input"
              onChange={(e) => {
                addFiles(e.target.files);
                e.target.value = "";
              }}
            />
          </div>
          {uploads.length > 0 ? (
            <ul className="uploads" aria-label="Uploads">
              {uploads.map((u) => (
                <li key={u.key} data-testid={`upload-${u.file.name}`}>
                  <div className="upload-head">
                    <strong>{u.file.name}</strong>
                    <span className="muted">{formatBytes(u.file.size)}</span>
                    <span className={`upload-status status-${u.status}`}>
                      {u.status === "waiting"
                        ? "Waiting"
                        : u.status === "uploading"
                          ? "Uploading"
                          : u.status === "processing"
                            ? "Storing…"
                            : u.status === "done"
                              ? "Done"
                              : "Failed"}
                    </span>
                  </div>
                  <progress
                    max={Math.max(u.file.size, 1)}
                    value={u.status === "done" || u.status === "failed" ? Math.max(u.file.size, 1) : u.sent}
                    aria-label={`Progress of ${u.file.name}`}
                  />
                  {u.result ? (
                    <div className="counts">
                      <span>{platformLabel(u.result.platform)}</span>
                      <span>read {u.result.read.toLocaleString()}</span>
                      <span>stored {u.result.stored.toLocaleString()}</span>
                      <span>duplicate {u.result.duplicate.toLocaleString()}</span>
                      <span className={u.result.quarantined ? "warn" : undefined}>quarantined {u.result.quarantined.toLocaleString()}</span>
                      {u.result.skipped ? <span>skipped {u.result.skipped.toLocaleString()}</span> : null}
                    </div>
                  ) : null}
                  {u.result?.note ? <div className="muted skip-note">{u.result.note}</div> : null}
                  {u.error ? (
                    <div className="alert alert-error" role="alert" style={{ margin: "0.4rem 0 0" }}>
                      {u.error}
                    </div>
                  ) : null}
                </li>
              ))}
            </ul>
          ) : null}
          {platforms.data ? (
            // The list is long (every platform and each shape it reads): folded, so that the uploads above stay in view.
            <details className="muted" style={{ marginTop: "0.5rem" }}>
              <summary>Supported platforms and formats ({platforms.data.length})</summary>
              <p style={{ marginBottom: 0 }}>{platforms.data.map((p) => `${p.label} (${p.formats.join(", ")})`).join("; ")}.</p>
            </details>
          ) : null}
        </section>
      ) : null}
      <BatchesTable
        batches={batches.data}
        loading={batches.isPending}
        error={batches.error?.message}
        onSelect={setSelectedBatch}
        onShowDuplicates={setDuplicatesOf}
        selected={selectedBatch}
      />
      {duplicatesOf ? <DuplicatesPanel key={duplicatesOf} batchId={duplicatesOf} onShowQuarantine={setSelectedBatch} /> : null}
      {selectedBatch ? <QuarantinePanel batchId={selectedBatch} canWrite={canWrite} /> : null}
    </>
  );
}

type SortKey = "startedAt" | "fileName" | "platform" | "read" | "quarantined";

function BatchesTable({
  batches,
  loading,
  error,
  selected,
  onSelect,
  onShowDuplicates,
}: {
  batches?: BatchDto[];
  loading: boolean;
  error?: string;
  selected: string | null;
  onSelect: (id: string) => void;
  onShowDuplicates: (id: string) => void;
}) {
  const [filter, setFilter] = useState("");
  const filtered = useMemo(() => {
    const f = filter.trim().toLowerCase();
    return (batches ?? []).filter(
      (b) => !f || `${b.fileName} ${b.platform} ${platformLabel(b.platform)} ${b.status} ${b.via}`.toLowerCase().includes(f),
    );
  }, [batches, filter]);
  const { sorted: rows, sort, toggle } = useSorted<BatchDto, SortKey>(filtered, { key: "startedAt", dir: -1 });
  const th = (key: SortKey, label: string) => <SortHeader column={key} label={label} sort={sort} onSort={toggle} />;
  return (
    <section className="panel" aria-labelledby="batches-h" style={{ marginTop: "1rem" }}>
      <h2 id="batches-h" style={{ marginTop: 0 }}>
        Ingest batches
      </h2>
      {loading ? <p>Loading batches…</p> : null}
      {error ? <div className="alert alert-error">Could not load batches: {error}</div> : null}
      {batches && batches.length === 0 ? (
        <p className="muted">
          Nothing ingested yet. Upload a file above, run <code>npm run cli -- ingest &lt;files&gt;</code>, or push to{" "}
          <code>POST /api/v1/ingest/&lt;platform&gt;</code> with a source API token (Settings).
        </p>
      ) : null}
      {batches && batches.length > 0 ? (
        <>
          <div className="table-tools">
            <label htmlFor="batch-filter" className="visually-hidden">
              Filter batches
            </label>
            <input
              id="batch-filter"
              type="search"
              placeholder="Filter by file, platform or status"
              value={filter}
              onChange={(e) => setFilter(e.target.value)}
            />
            <span className="muted">
              {rows.length} of {plural(batches.length, "batch", "batches")}
            </span>
          </div>
          <table className="data">
            <caption className="visually-hidden">Ingest batches: read = stored + duplicate + quarantined + skipped</caption>
            <thead>
              <tr>
                {th("startedAt", "Started")}
                {th("fileName", "File")}
                {th("platform", "Platform")}
                <th scope="col">Via</th>
                <th scope="col">Status</th>
                {th("read", "Read")}
                <th scope="col">Stored</th>
                <th scope="col">Duplicate</th>
                {th("quarantined", "Quarantined")}
              </tr>
            </thead>
            <tbody>
              {rows.map((b) => (
                <tr key={b.id} data-testid={`batch-${b.fileName}`} aria-selected={selected === b.id}>
                  <td>
                    <Time iso={b.startedAt} />
                  </td>
                  <td>
                    <VisibleText text={b.fileName} />
                    {b.error ? <div className="error-text">{b.error}</div> : null}
                    {b.note && b.skipped > 0 ? (
                      <div className="muted">
                        {b.skipped.toLocaleString()} skipped: {b.note}
                      </div>
                    ) : b.note ? (
                      // A refused file: the closest formats and the supported list, folded.
                      <details className="muted">
                        <summary>Closest formats and the supported ones</summary>
                        <div style={{ whiteSpace: "pre-wrap" }}>{b.note}</div>
                      </details>
                    ) : null}
                  </td>
                  <td title={b.platform}>{platformLabel(b.platform)}</td>
                  <td>{b.via}</td>
                  <td>{b.status}</td>
                  <td>{b.read.toLocaleString()}</td>
                  <td>{b.stored.toLocaleString()}</td>
                  <td>
                    {b.duplicate > 0 ? (
                      <button type="button" className="btn btn-small btn-secondary" onClick={() => onShowDuplicates(b.id)}>
                        {b.duplicate.toLocaleString()} — show<span className="visually-hidden"> duplicates of {b.fileName}</span>
                      </button>
                    ) : (
                      "0"
                    )}
                  </td>
                  <td>
                    {b.quarantined > 0 ? (
                      <button type="button" className="btn btn-small btn-secondary" onClick={() => onSelect(b.id)}>
                        {b.quarantined.toLocaleString()} — review<span className="visually-hidden"> quarantine of {b.fileName}</span>
                      </button>
                    ) : (
                      "0"
                    )}
                    {b.resolvedLater > 0 ? <div className="muted">{b.resolvedLater} resolved later</div> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </section>
  );
}

function QuarantinePanel({ batchId, canWrite }: { batchId: string; canWrite: boolean }) {
  const q = useQuarantine(batchId);
  const heading = useRevealOnOpen<HTMLHeadingElement>(batchId);
  const reprocess = useApiMutation({
    mutationFn: () => reprocessQuarantine(batchId),
    invalidates: [ingestKeys.quarantine(batchId), ingestKeys.batches()],
  });
  return (
    <section className="panel" aria-labelledby="q-h" style={{ marginTop: "1rem" }}>
      <div className="page-head" style={{ marginBottom: "0.5rem" }}>
        <h2 id="q-h" style={{ margin: 0 }} ref={heading} tabIndex={-1}>
          Quarantined records
        </h2>
        <div style={{ display: "flex", gap: "0.5rem" }}>
          <a className="btn btn-secondary btn-small" href={`/api/v1/ingest/quarantine/download?batchId=${batchId}`}>
            Download NDJSON
          </a>
          {canWrite ? (
            <button type="button" className="btn btn-small" onClick={() => reprocess.mutate()} disabled={reprocess.isPending}>
              {reprocess.isPending ? "Re-processing…" : "Re-process with current parsers"}
            </button>
          ) : null}
        </div>
      </div>
      <div role="status" aria-live="polite">
        {reprocess.data ? (
          <div className="alert alert-info">
            Re-processed {reprocess.data.attempted}: {reprocess.data.resolved} now stored, {reprocess.data.stillQuarantined} still
            quarantined.
            {reprocess.data.untrusted > 0
              ? ` ${reprocess.data.untrusted} read from a damaged gzip file were left alone: they are not trusted whatever the parser says; ingest a good copy of the file.`
              : ""}
          </div>
        ) : null}
        {reprocess.errorMessage ? <div className="alert alert-error">{reprocess.errorMessage}</div> : null}
      </div>
      {q.isPending ? <p>Loading…</p> : null}
      {q.data && q.data.items.length === 0 ? <p className="muted">No open quarantined records for this batch.</p> : null}
      {q.data && q.data.items.length > 0 ? (
        <table className="data">
          <caption className="visually-hidden">Quarantined records with their position and reason</caption>
          <thead>
            <tr>
              <th scope="col">Position</th>
              <th scope="col">Reason</th>
              <th scope="col">Record (start)</th>
            </tr>
          </thead>
          <tbody>
            {q.data.items.map((r) => (
              <tr key={r.id}>
                <td>
                  {r.fileName} #{r.position}
                </td>
                <td>{r.reason}</td>
                <td>
                  <code className="clip">{r.preview}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {q.data && q.data.total > q.data.items.length ? (
        <p className="muted">
          Showing {q.data.items.length} of {q.data.total}; download the NDJSON for all of them.
        </p>
      ) : null}
    </section>
  );
}
