"use client";

import { useState } from "react";
import { changeControlScope } from "@/components/api/compliance";
import { useApiMutation } from "@/components/api/mutation";

// Scope a control out of the assessment ("not applicable") or back in, with a required reason (shown on the control
// and kept in the audit trail).
export function ScopeForm({ framework, controlId, scopedOut }: { framework: string; controlId: string; scopedOut: boolean }) {
  const [reason, setReason] = useState("");
  const change = useApiMutation({ mutationFn: changeControlScope, refresh: true, onSuccess: () => setReason("") });
  const label = scopedOut ? "Reason for scoping back in" : "Reason for scoping out";

  function submit(e: React.FormEvent) {
    e.preventDefault();
    change.mutate({ framework, controlId, action: scopedOut ? "in" : "out", reason });
  }

  return (
    <form onSubmit={submit} aria-label={scopedOut ? "Scope this control back in" : "Scope this control out"}>
      <div className="field">
        <label htmlFor="scope-reason">{label}</label>
        <textarea id="scope-reason" rows={2} value={reason} onChange={(e) => setReason(e.target.value)} required minLength={10} />
      </div>
      {change.errorMessage ? (
        <div className="alert alert-error" role="alert">
          {change.errorMessage}
        </div>
      ) : null}
      <button type="submit" className="btn btn-secondary" disabled={change.isPending}>
        {scopedOut ? "Scope back in" : "Mark not applicable"}
      </button>
    </form>
  );
}
