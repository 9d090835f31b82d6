"use client";

import { useId, useState } from "react";
import { placeHold, releaseHold } from "@/components/api/holds";
import { useApiMutation } from "@/components/api/mutation";

// The admin's legal-hold controls: place a hold (on a case, or on a source over a time range) and release one,
// each with a required reason. Used by the Retention page and the case page's legal-hold panel.

export function PlaceHoldForm({ caseId, sources }: { caseId?: string; sources?: { id: string; name: string }[] }) {
  const id = useId();
  const [reason, setReason] = useState("");
  const [sourceId, setSourceId] = useState(sources?.[0]?.id ?? "");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const place = useApiMutation({ mutationFn: placeHold, refresh: true, onSuccess: () => setReason("") });

  function submit(e: React.FormEvent) {
    e.preventDefault();
    place.mutate(
      caseId
        ? { caseId, reason }
        : {
            sourceId,
            reason,
            rangeStart: from ? new Date(from + "Z").toISOString() : null,
            rangeEnd: to ? new Date(to + "Z").toISOString() : null,
          },
    );
  }

  return (
    <form
      onSubmit={submit}
      className="hold-form"
      aria-label={caseId ? "Place a legal hold on this case" : "Place a legal hold on a source"}
    >
      {!caseId ? (
        <div className="form-row">
          <div className="field">
            <label htmlFor={`${id}-src`}>Source</label>
            <select id={`${id}-src`} value={sourceId} onChange={(e) => setSourceId(e.target.value)} required>
              {sources?.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-from`}>From (UTC, empty: the beginning)</label>
            <input id={`${id}-from`} type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor={`${id}-to`}>To (UTC, empty: open-ended)</label>
            <input id={`${id}-to`} type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} />
          </div>
        </div>
      ) : null}
      <div className="field">
        <label htmlFor={`${id}-reason`}>Reason (required, shown to everyone and recorded)</label>
        <input
          id={`${id}-reason`}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          minLength={5}
          required
          placeholder="e.g. Litigation hold, matter 2026-014"
        />
      </div>
      <button type="submit" className="btn" disabled={place.isPending}>
        {place.isPending ? "Placing…" : "Place legal hold"}
      </button>
      {place.errorSummary ? (
        <p className="error-text" role="alert">
          {place.errorSummary}
        </p>
      ) : null}
      {place.isSuccess ? (
        <p className="muted" role="status">
          Hold placed. Its records are excluded from every purge until it is released.
        </p>
      ) : null}
    </form>
  );
}

export function ReleaseHoldButton({ holdId, label }: { holdId: string; label: string }) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const release = useApiMutation({ mutationFn: releaseHold, refresh: true, onSuccess: () => setOpen(false) });

  if (!open) {
    return (
      <button type="button" className="btn btn-danger btn-small" onClick={() => setOpen(true)} aria-label={`Release the hold on ${label}`}>
        Release…
      </button>
    );
  }
  function submit(e: React.FormEvent) {
    e.preventDefault();
    release.mutate({ holdId, reason });
  }
  return (
    <form onSubmit={submit} className="release-form" aria-label={`Release the hold on ${label}`}>
      <label htmlFor={`${id}-r`}>Reason for release</label>
      <input id={`${id}-r`} value={reason} onChange={(e) => setReason(e.target.value)} minLength={5} required />
      <button type="submit" className="btn btn-danger btn-small" disabled={release.isPending}>
        {release.isPending ? "Releasing…" : "Release hold"}
      </button>
      <button type="button" className="btn btn-secondary btn-small" onClick={() => setOpen(false)}>
        Cancel
      </button>
      {release.errorSummary ? (
        <p className="error-text" role="alert">
          {release.errorSummary}
        </p>
      ) : null}
    </form>
  );
}
