"use client";

import { useId, useState } from "react";
import Link from "next/link";
import { addCaseItem, casesKeys, createCase, useWorkableCases, type CaseChoice } from "@/components/api/cases";
import { useApiMutation } from "@/components/api/mutation";
import type { Severity } from "@/lib/cases/types";

export type CaseItemType = "session" | "event" | "identity" | "finding" | "lineage_snapshot";

type Added = { caseId: string; caseNumber: number; caseTitle: string };

const TYPE_LABEL: Record<CaseItemType, string> = {
  session: "session",
  event: "event",
  identity: "identity",
  finding: "finding",
  lineage_snapshot: "lineage snapshot",
};

// "Add to case": cite this session / event / identity / finding / lineage graph as evidence in a case that is
// still being worked (not closed), or in a new case created on the spot, with the analyst's annotation.
// Rendered only for roles that hold cases.write (the caller passes canWrite; the API checks it again).
export function AddToCase({
  itemType,
  refId,
  snapshot,
  label = "Add to case",
  canWrite,
  small = true,
}: {
  itemType: CaseItemType;
  refId: string;
  snapshot?: Record<string, unknown>;
  label?: string;
  canWrite: boolean;
  small?: boolean;
}) {
  const [open, setOpen] = useState(false);
  const [mode, setMode] = useState<"existing" | "new">("existing");
  const [caseId, setCaseId] = useState("");
  const [title, setTitle] = useState("");
  const [severity, setSeverity] = useState<Severity>("medium");
  const [annotation, setAnnotation] = useState("");
  const [added, setAdded] = useState<Added | null>(null);
  const uid = useId();

  const cases = useWorkableCases({ enabled: open && canWrite });

  const submit = useApiMutation({
    mutationFn: async (): Promise<Added> => {
      let target: CaseChoice | undefined;
      if (mode === "new") {
        target = await createCase({ title: title.trim(), severity });
      } else {
        target = cases.data?.items.find((c) => c.id === caseId);
        if (!target) throw new Error("Pick a case, or choose “New case”.");
      }
      await addCaseItem(target.id, { itemType, refId, snapshot, annotation: annotation.trim() || undefined });
      return { caseId: target.id, caseNumber: target.number, caseTitle: target.title };
    },
    invalidates: [casesKeys.all],
    onSuccess: (a) => {
      setAdded(a);
      setAnnotation("");
      setTitle("");
    },
  });

  if (!canWrite) return null;

  const choices = cases.data?.items ?? [];
  const effectiveMode = mode === "existing" && cases.isSuccess && choices.length === 0 ? "new" : mode;

  return (
    <div className="add-to-case">
      <button
        type="button"
        className={`btn${small ? " btn-small btn-secondary" : ""}`}
        aria-expanded={open}
        aria-controls={`${uid}-dialog`}
        onClick={() => {
          setOpen((o) => !o);
          setAdded(null);
          submit.reset();
        }}
      >
        {label}
      </button>
      {open ? (
        <div id={`${uid}-dialog`} role="dialog" aria-labelledby={`${uid}-title`} className="add-to-case-dialog">
          <h3 id={`${uid}-title`}>Add this {TYPE_LABEL[itemType]} to a case</h3>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              if (effectiveMode !== mode) setMode(effectiveMode);
              if (effectiveMode === "new" && !title.trim()) return;
              submit.mutate();
            }}
          >
            <fieldset className="add-to-case-mode">
              <legend className="visually-hidden">Case</legend>
              <label>
                <input
                  type="radio"
                  name={`${uid}-mode`}
                  checked={effectiveMode === "existing"}
                  disabled={cases.isSuccess && choices.length === 0}
                  onChange={() => setMode("existing")}
                />{" "}
                Existing case
              </label>
              <label>
                <input type="radio" name={`${uid}-mode`} checked={effectiveMode === "new"} onChange={() => setMode("new")} /> New case
              </label>
            </fieldset>
            {effectiveMode === "existing" ? (
              <div className="field">
                <label htmlFor={`${uid}-case`}>Case</label>
                <select id={`${uid}-case`} value={caseId} onChange={(e) => setCaseId(e.target.value)} required>
                  <option value="">{cases.isLoading ? "Loading cases…" : "Choose a case"}</option>
                  {choices.map((c) => (
                    <option key={c.id} value={c.id}>
                      #{c.number} {c.title} ({c.status.replace("_", " ")})
                    </option>
                  ))}
                </select>
                {cases.error ? <div className="error">Could not load cases: {cases.error.message}</div> : null}
              </div>
            ) : (
              <div className="form-row">
                <div className="field">
                  <label htmlFor={`${uid}-title-input`}>New case title</label>
                  <input
                    id={`${uid}-title-input`}
                    value={title}
                    onChange={(e) => setTitle(e.target.value)}
                    required
                    maxLength={200}
                    placeholder="e.g. Token reuse from unknown network"
                  />
                </div>
                <div className="field">
                  <label htmlFor={`${uid}-severity`}>Severity</label>
                  <select id={`${uid}-severity`} value={severity} onChange={(e) => setSeverity(e.target.value as Severity)}>
                    <option value="low">Low</option>
                    <option value="medium">Medium</option>
                    <option value="high">High</option>
                    <option value="critical">Critical</option>
                  </select>
                </div>
              </div>
            )}
            <div className="field">
              <label htmlFor={`${uid}-annotation`}>Annotation</label>
              <textarea
                id={`${uid}-annotation`}
                rows={3}
                value={annotation}
                onChange={(e) => setAnnotation(e.target.value)}
                maxLength={5000}
                placeholder="Why this matters to the case"
              />
            </div>
            <div className="form-row">
              <button type="submit" className="btn btn-small" disabled={submit.isPending}>
                {submit.isPending ? "Adding…" : "Add to case"}
              </button>
              <button type="button" className="btn btn-small btn-secondary" onClick={() => setOpen(false)}>
                Close
              </button>
            </div>
          </form>
          <div role="status" aria-live="polite">
            {added ? (
              <p className="alert alert-ok">
                Added to{" "}
                <Link href={`/cases/${added.caseId}`}>
                  case #{added.caseNumber} {added.caseTitle}
                </Link>
                .
              </p>
            ) : null}
          </div>
          {submit.error ? (
            <div className="alert alert-error" role="alert">
              {submit.errorMessage}
            </div>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
