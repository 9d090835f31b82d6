"use client";

import { useState } from "react";
import { approveRiskAcceptance, dismissFinding, reopenFinding, type DismissalType } from "@/components/api/findings";
import { useApiMutation } from "@/components/api/mutation";

const tooShortMessage = "Give a reason of at least 5 characters: it is kept in the finding's history.";

function ReasonField({ id, label, value, onChange }: { id: string; label: string; value: string; onChange: (v: string) => void }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea id={id} name="reason" rows={3} value={value} onChange={(e) => onChange(e.target.value)} required minLength={5} />
    </div>
  );
}

function ErrorLine({ message }: { message: string | null | undefined }) {
  return message ? (
    <div className="alert alert-error" role="alert">
      {message}
    </div>
  ) : null;
}

// Dismiss (as a false positive, or as an accepted risk with an expiry) or reopen, with a required reason; the reason
// goes into the finding's history and the audit trail.
export function FindingStatusForm({ id, status }: { id: string; status: "open" | "dismissed" }) {
  const [reason, setReason] = useState("");
  const [type, setType] = useState<DismissalType | "">("");
  const [expiresAt, setExpiresAt] = useState("");
  // Checked here too, so that the rules are explained before anything is sent.
  const [problem, setProblem] = useState<string | null>(null);
  const done = () => {
    setReason("");
    setType("");
    setExpiresAt("");
  };
  const dismiss = useApiMutation({ mutationFn: dismissFinding, refresh: true, onSuccess: done });
  const reopen = useApiMutation({ mutationFn: reopenFinding, refresh: true, onSuccess: done });
  const change = status === "open" ? dismiss : reopen;

  function submit(e: React.FormEvent) {
    e.preventDefault();
    const p =
      status === "open" && !type
        ? "Choose the kind of dismissal: a false positive, or a risk accepted until a date."
        : reason.trim().length < 5
          ? tooShortMessage
          : type === "risk_accepted" && !expiresAt
            ? "A risk acceptance needs the date it expires."
            : null;
    setProblem(p);
    if (p) {
      change.reset();
      return;
    }
    if (status === "open") dismiss.mutate({ id, type: type as DismissalType, reason, expiresAt: expiresAt || undefined });
    else reopen.mutate({ id, reason });
  }

  return (
    <form onSubmit={submit} className="finding-status-form" aria-label={status === "open" ? "Dismiss this finding" : "Reopen this finding"}>
      {status === "open" ? (
        <fieldset className="field">
          <legend>Kind of dismissal</legend>
          <label>
            <input
              type="radio"
              name="type"
              value="false_positive"
              checked={type === "false_positive"}
              onChange={() => setType("false_positive")}
            />{" "}
            False positive (the finding is wrong; it leaves the compliance population)
          </label>
          <label>
            <input
              type="radio"
              name="type"
              value="risk_accepted"
              checked={type === "risk_accepted"}
              onChange={() => setType("risk_accepted")}
            />{" "}
            Risk accepted (an exception until a date, once another person approves it)
          </label>
        </fieldset>
      ) : null}
      {type === "risk_accepted" ? (
        <div className="field">
          <label htmlFor="finding-expires">Risk accepted until</label>
          <input id="finding-expires" type="date" value={expiresAt} onChange={(e) => setExpiresAt(e.target.value)} required />
        </div>
      ) : null}
      <ReasonField
        id="finding-reason"
        label={status === "open" ? "Reason for dismissing" : "Reason for reopening"}
        value={reason}
        onChange={setReason}
      />
      <ErrorLine message={problem ?? change.errorMessage} />
      <button type="submit" className="btn btn-secondary" disabled={change.isPending}>
        {status === "open" ? "Dismiss finding" : "Reopen finding"}
      </button>
    </form>
  );
}

// Approve a risk acceptance made by someone else; the finding then counts as an exception until its expiry.
export function ApproveRiskForm({ id }: { id: string }) {
  const [reason, setReason] = useState("");
  const [tooShort, setTooShort] = useState(false);
  const approve = useApiMutation({ mutationFn: approveRiskAcceptance, refresh: true, onSuccess: () => setReason("") });

  function submit(e: React.FormEvent) {
    e.preventDefault();
    const short = reason.trim().length < 5;
    setTooShort(short);
    if (short) approve.reset();
    else approve.mutate({ id, reason });
  }

  return (
    <form onSubmit={submit} className="finding-status-form" aria-label="Approve this risk acceptance">
      <ReasonField id="approve-reason" label="Reason for approving the risk acceptance" value={reason} onChange={setReason} />
      <ErrorLine message={tooShort ? tooShortMessage : approve.errorMessage} />
      <button type="submit" className="btn" disabled={approve.isPending}>
        Approve risk acceptance
      </button>
    </form>
  );
}
