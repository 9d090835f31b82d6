"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { apiFetch } from "@/components/api-client";

// Dismiss (or reopen) with a required reason; the reason goes into the finding's history and the audit trail.
export function FindingStatusForm({ id, status }: { id: string; status: "open" | "dismissed" }) {
  const router = useRouter();
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const action = status === "open" ? "dismiss" : "reopen";

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    if (reason.trim().length < 5) {
      setError("Give a reason of at least 5 characters: it is kept in the finding's history.");
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await apiFetch(`/api/v1/findings/${id}/${action}`, { method: "POST", body: JSON.stringify({ reason }) });
      setReason("");
      router.refresh();
    } catch (err) {
      setError(err instanceof Error ? err.message : `Could not ${action} the finding. Reload the page and try again.`);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} className="finding-status-form" aria-label={status === "open" ? "Dismiss this finding" : "Reopen this finding"}>
      <div className="field">
        <label htmlFor="finding-reason">{status === "open" ? "Reason for dismissing" : "Reason for reopening"}</label>
        <textarea id="finding-reason" name="reason" rows={3} value={reason} onChange={(e) => setReason(e.target.value)} required minLength={5} />
      </div>
      {error ? (
        <div className="alert alert-error" role="alert">
          {error}
        </div>
      ) : null}
      <button type="submit" className="btn btn-secondary" disabled={busy}>
        {status === "open" ? "Dismiss finding" : "Reopen finding"}
      </button>
    </form>
  );
}
