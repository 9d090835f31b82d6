"use client";

import { useState, type FormEvent } from "react";
import { setComplianceThresholds } from "@/components/api/compliance";
import { useApiMutation } from "@/components/api/mutation";
import { THRESHOLD_FIELDS, type ComplianceThresholds } from "@/lib/compliance/thresholds.types";

// The control-status thresholds, for compliance managers (compliance.manage): PUT /api/v1/compliance/settings checks
// every value (a 422 names each bad field, shown under it) and records the change with before and after in the audit
// trail; the page re-renders with the statuses the new thresholds give.
export function ThresholdsForm({ current }: { current: ComplianceThresholds }) {
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(THRESHOLD_FIELDS.map((f) => [f.key, String(current[f.key])])),
  );
  const save = useApiMutation({ mutationFn: setComplianceThresholds, refresh: true });

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    // Numbers as numbers; anything else as typed, so that the server's message says what to enter.
    const input = Object.fromEntries(
      Object.entries(values).map(([k, v]) => [k, v.trim() !== "" && Number.isFinite(Number(v)) ? Number(v) : v.trim()]),
    );
    save.mutate(input);
  }

  const fieldError = (key: string) => save.fieldErrors[key]?.join(" ") ?? null;
  const anyFieldError = THRESHOLD_FIELDS.some((f) => fieldError(f.key));

  return (
    <form onSubmit={submit} aria-label="Control status thresholds" className="cmp-thresholds" noValidate>
      <div className="cmp-threshold-grid">
        {THRESHOLD_FIELDS.map((f) => {
          const err = fieldError(f.key);
          const id = `threshold-${f.key}`;
          return (
            <div className="field" key={f.key}>
              <label htmlFor={id}>
                {f.label} ({f.unit})
              </label>
              <input
                id={id}
                name={f.key}
                inputMode="numeric"
                value={values[f.key]}
                onChange={(e) => setValues((v) => ({ ...v, [f.key]: e.target.value }))}
                aria-describedby={`${id}-hint${err ? ` ${id}-error` : ""}`}
                aria-invalid={err ? true : undefined}
              />
              <div className="hint" id={`${id}-hint`}>
                {f.hint}
              </div>
              {err ? (
                <div className="error" id={`${id}-error`} role="alert">
                  {err}
                </div>
              ) : null}
            </div>
          );
        })}
      </div>
      {save.error && !anyFieldError ? (
        <div className="alert alert-error" role="alert">
          {save.errorSummary}
        </div>
      ) : null}
      <button type="submit" className="btn" disabled={save.isPending}>
        {save.isPending ? "Saving…" : "Save thresholds"}
      </button>
      {save.isSuccess ? (
        <div className="alert alert-ok" role="status">
          Thresholds saved; the statuses above use them. The change is recorded in the audit trail.
        </div>
      ) : null}
    </form>
  );
}
