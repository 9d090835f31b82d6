"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { apiFetch, ApiError } from "@/components/api-client";

// Admin form for the organisation's required retention; the page re-renders (router.refresh) with the new
// export-by statuses once the server has stored it.
export function RetentionForm({ current }: { current: number }) {
  const router = useRouter();
  const [value, setValue] = useState(String(current));
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setError(null);
    setSaved(null);
    setBusy(true);
    try {
      const res = await apiFetch<{ requiredRetentionDays: number }>("/api/v1/coverage/settings", {
        method: "PUT",
        body: JSON.stringify({ requiredRetentionDays: value.trim() === "" ? null : Number(value) }),
      });
      setSaved(res.requiredRetentionDays);
      router.refresh();
    } catch (err) {
      setError(err instanceof ApiError ? Object.values(err.fields ?? {}).flat().join(" ") || err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} className="form-row coverage-retention-form" aria-label="Required retention">
      <div className="field">
        <label htmlFor="required-days">Required retention (days)</label>
        <input
          id="required-days"
          name="requiredRetentionDays"
          type="number"
          min={1}
          max={3650}
          step={1}
          required
          value={value}
          onChange={(e) => setValue(e.target.value)}
          aria-describedby="required-days-hint"
          aria-invalid={error ? true : undefined}
        />
        <div className="hint" id="required-days-hint">
          How long your policy says audit evidence must be kept, 1 to 3650 days. Changes are recorded in the audit trail.
        </div>
        {error ? (
          <div className="error" role="alert">
            {error}
          </div>
        ) : null}
      </div>
      <div className="form-submit">
        <button type="submit" className="btn" disabled={busy}>
          {busy ? "Saving…" : "Save"}
        </button>
      </div>
      {saved !== null ? (
        <div className="alert alert-ok" role="status">
          Required retention set to {saved} days.
        </div>
      ) : null}
    </form>
  );
}
