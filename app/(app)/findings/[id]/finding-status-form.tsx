"use client";

import { useState } from "react";
import { changeFindingStatus } from "@/components/api/findings";
import { useApiMutation } from "@/components/api/mutation";

// Dismiss (or reopen) with a required reason; the reason goes into the finding's history and the audit trail.
export function FindingStatusForm({ id, status }: { id: string; status: "open" | "dismissed" }) {
  const [reason, setReason] = useState("");
  // Checked here too, so that the reason's rule is explained before anything is sent.
  const [tooShort, setTooShort] = useState(false);
  const action = status === "open" ? "dismiss" : "reopen";
  const change = useApiMutation({ mutationFn: changeFindingStatus, refresh: true, onSuccess: () => setReason("") });
  const error = tooShort ? "Give a reason of at least 5 characters: it is kept in the finding's history." : change.errorMessage;

  function submit(e: React.FormEvent) {
    e.preventDefault();
    const short = reason.trim().length < 5;
    setTooShort(short);
    if (short) {
      change.reset();
      return;
    }
    change.mutate({ id, action, reason });
  }

  return (
    <form onSubmit={submit} className="finding-status-form" aria-label={status === "open" ? "Dismiss this finding" : "Reopen this finding"}>
      <div className="field">
        <label htmlFor="finding-reason">{status === "open" ? "Reason for dismissing" : "Reason for reopening"}</label>
        <textarea
          id="finding-reason"
          name="reason"
          rows={3}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          required
          minLength={5}
        />
      </div>
      {error ? (
        <div className="alert alert-error" role="alert">
          {error}
        </div>
      ) : null}
      <button type="submit" className="btn btn-secondary" disabled={change.isPending}>
        {status === "open" ? "Dismiss finding" : "Reopen finding"}
      </button>
    </form>
  );
}
