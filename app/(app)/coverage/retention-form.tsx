"use client";

import { useState, type FormEvent } from "react";
import { setRequiredRetention } from "@/components/api/coverage";
import { useApiMutation } from "@/components/api/mutation";

// Admin form for the organisation's required retention; the page re-renders (router.refresh) with the new
// export-by statuses once the server has stored it.
export function RetentionForm({ current }: { current: number }) {
  const [value, setValue] = useState(String(current));
  const save = useApiMutation({ mutationFn: setRequiredRetention, refresh: true });
  // The field's own message when the API names it (it is the only field), else the API's message.
  const error = save.error ? (save.fieldErrors.requiredRetentionDays?.join(" ") ?? save.errorSummary) : null;
  const saved = save.data?.requiredRetentionDays ?? null;

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    save.mutate(value.trim() === "" ? null : Number(value));
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
        <button type="submit" className="btn" disabled={save.isPending}>
          {save.isPending ? "Saving…" : "Save"}
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
