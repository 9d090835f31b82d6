"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useId, useRef, useState } from "react";
import { useApiMutation } from "@/components/api/mutation";
import { isRunning, retentionKeys, setRetentionDays, startPurge, usePurgeJob } from "@/components/api/retention";
import type { PurgeJobView } from "@/lib/retention/purge-expired";
import { Time } from "@/components/time";

// Admin controls of the Retention page: a source's retention in days, and the purge with its progress.

export function RetentionDaysForm({ sourceId, sourceName, days }: { sourceId: string; sourceName: string; days: number | null }) {
  const id = useId();
  const [value, setValue] = useState(days === null ? "" : String(days));
  const save = useApiMutation({ mutationFn: setRetentionDays, refresh: true });

  function submit(e: React.FormEvent) {
    e.preventDefault();
    save.mutate({ sourceId, days: value.trim() === "" ? null : Number(value) });
  }
  const saved = save.isSuccess ? save.variables.days : undefined;
  const msg = save.errorMessage
    ? { ok: false, text: save.errorMessage }
    : saved !== undefined
      ? { ok: true, text: saved === null ? "Kept forever." : `Saved: ${saved} days.` }
      : null;
  return (
    <form onSubmit={submit} className="inline-form">
      <label htmlFor={`${id}-d`} className="visually-hidden">
        Retention in days for {sourceName} (empty keeps forever)
      </label>
      <input
        id={`${id}-d`}
        type="number"
        min={1}
        max={36500}
        step={1}
        value={value}
        onChange={(e) => setValue(e.target.value)}
        placeholder="forever"
        style={{ width: "7rem" }}
      />
      <button type="submit" className="btn btn-secondary btn-small" disabled={save.isPending}>
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
  const qc = useQueryClient();
  const [jobId, setJobId] = useState<string | null>(last?.id ?? null);
  const poll = usePurgeJob(jobId, last);
  const job = poll.data ?? null;
  const running = isRunning(job);
  const start = useApiMutation({
    mutationFn: startPurge,
    onSuccess: ({ jobId: id }) => {
      // Shown as queued at once; polling takes over from there.
      qc.setQueryData(retentionKeys.job(id), {
        id,
        status: "queued",
        progress: 0,
        message: null,
        result: null,
        createdAt: new Date().toISOString(),
        finishedAt: null,
      } satisfies PurgeJobView);
      setJobId(id);
    },
  });

  // When a job that was running ends, the page's tables (purged counts, holds) change: re-render them.
  const wasRunning = useRef(running);
  useEffect(() => {
    if (wasRunning.current && !running) router.refresh();
    wasRunning.current = running;
  }, [running, router]);
  const error = start.errorMessage ?? (poll.error ? `Could not read the purge's progress: ${poll.error.message}` : null);

  return (
    <div className="purge">
      <button type="button" className="btn btn-danger" onClick={() => start.mutate()} disabled={running || start.isPending}>
        {running ? "Purging…" : "Run purge now"}
      </button>
      {running ? (
        <div>
          <label htmlFor="purge-progress">Purge progress</label> <progress id="purge-progress" max={1} value={job!.progress} />{" "}
          {Math.round(job!.progress * 100)}%
        </div>
      ) : null}
      {job && job.status === "succeeded" && job.result ? (
        <p role="status" data-testid="purge-result">
          Last purge (<Time iso={job.finishedAt} empty="" />
          ): {job.result.purged.toLocaleString("en")} payloads purged, {job.result.held.toLocaleString("en")} expired records kept under a
          legal hold.
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
