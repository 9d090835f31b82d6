"use client";

import { useRouter } from "next/navigation";
import { useEffect, useId, useState } from "react";
import { apiFetch, ApiError } from "@/components/api-client";
import type { PurgeJobView } from "@/lib/retention/purge-expired";

// Admin controls of the Retention page: a source's retention in days, and the purge with its progress.

export function RetentionDaysForm({ sourceId, sourceName, days }: { sourceId: string; sourceName: string; days: number | null }) {
  const router = useRouter();
  const id = useId();
  const [value, setValue] = useState(days === null ? "" : String(days));
  const [busy, setBusy] = useState(false);
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setMsg(null);
    try {
      const n = value.trim() === "" ? null : Number(value);
      await apiFetch(`/api/v1/retention/policies/${sourceId}`, { method: "PUT", body: JSON.stringify({ days: n }) });
      setMsg({ ok: true, text: n === null ? "Kept forever." : `Saved: ${n} days.` });
      router.refresh();
    } catch (err) {
      setMsg({ ok: false, text: err instanceof ApiError ? err.message : "Saving failed; try again." });
    } finally {
      setBusy(false);
    }
  }
  return (
    <form onSubmit={submit} className="inline-form">
      <label htmlFor={`${id}-d`} className="visually-hidden">
        Retention in days for {sourceName} (empty keeps forever)
      </label>
      <input id={`${id}-d`} type="number" min={1} max={36500} step={1} value={value} onChange={(e) => setValue(e.target.value)} placeholder="forever" style={{ width: "7rem" }} />
      <button type="submit" className="btn btn-secondary btn-small" disabled={busy}>
        Save
      </button>
      {msg ? (
        <span className={msg.ok ? "muted" : "error-text"} role={msg.ok ? "status" : "alert"}>
          {" "}
          {msg.text}
        </span>
      ) : null}
    </form>
  );
}

export function PurgeRunner({ last }: { last: PurgeJobView | null }) {
  const router = useRouter();
  const [job, setJob] = useState<PurgeJobView | null>(last);
  const [error, setError] = useState<string | null>(null);
  const running = job !== null && (job.status === "queued" || job.status === "running");

  useEffect(() => {
    if (!running || !job) return;
    const t = setTimeout(async () => {
      try {
        const next = await apiFetch<PurgeJobView>(`/api/v1/retention/jobs/${job.id}`);
        setJob(next);
        if (next.status !== "queued" && next.status !== "running") router.refresh();
      } catch (err) {
        setError(err instanceof ApiError ? err.message : "Could not read the purge's progress.");
      }
    }, 800);
    return () => clearTimeout(t);
  }, [job, running, router]);

  async function start() {
    setError(null);
    try {
      const { jobId } = await apiFetch<{ jobId: string }>("/api/v1/retention/purge", { method: "POST" });
      setJob({ id: jobId, status: "queued", progress: 0, message: null, result: null, createdAt: new Date().toISOString(), finishedAt: null });
    } catch (err) {
      setError(err instanceof ApiError ? err.message : "The purge could not start; try again.");
    }
  }

  return (
    <div className="purge">
      <button type="button" className="btn btn-danger" onClick={start} disabled={running}>
        {running ? "Purging…" : "Run purge now"}
      </button>
      {running ? (
        <div>
          <label htmlFor="purge-progress">Purge progress</label>{" "}
          <progress id="purge-progress" max={1} value={job!.progress} /> {Math.round(job!.progress * 100)}%
        </div>
      ) : null}
      {job && job.status === "succeeded" && job.result ? (
        <p role="status" data-testid="purge-result">
          Last purge ({job.finishedAt ? new Date(job.finishedAt).toISOString().slice(0, 16).replace("T", " ") + " UTC" : ""}): {job.result.purged.toLocaleString("en")} payloads
          purged, {job.result.held.toLocaleString("en")} expired records kept under a legal hold.
        </p>
      ) : null}
      {job && job.status === "failed" ? (
        <p className="error-text" role="alert">
          The last purge failed: {job.message}. Nothing after the failing chunk was purged; run it again.
        </p>
      ) : null}
      {error ? (
        <p className="error-text" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
