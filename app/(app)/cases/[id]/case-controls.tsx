"use client";

import { useState } from "react";
import { CaseFields, splitTags, type CaseDraft, type CaseUserOption } from "@/components/case-fields";
import { STATUS_LABEL, type CaseStatus, type Severity } from "@/lib/cases/types";
import { updateCase, useCaseChange, type CaseChange } from "@/components/api/cases";

type EditableCase = {
  id: string;
  title: string;
  description: string | null;
  severity: Severity;
  status: CaseStatus;
  assigneeId: string | null;
  tags: string[];
  allowedTransitions: CaseStatus[];
};

const MOVE_LABEL = (from: CaseStatus, to: CaseStatus): string => {
  if (from === "closed") return `Reopen as ${STATUS_LABEL[to].toLowerCase()}`;
  if (from === "pending_review" && to === "investigating") return "Send back to investigating";
  if (to === "investigating") return "Start investigating";
  if (to === "pending_review") return "Submit for review";
  if (to === "closed") return "Close case";
  return STATUS_LABEL[to];
};

// The status moves allowed from here (the server checks them again) and the editable case fields.
export function CaseControls({ c, users }: { c: EditableCase; users: CaseUserOption[] }) {
  const move = useCaseChange((status: CaseStatus) => updateCase(c.id, { status }));
  const save = useCaseChange((body: CaseChange) => updateCase(c.id, body));
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState<CaseDraft>({
    title: c.title,
    severity: c.severity,
    assigneeId: c.assigneeId ?? "",
    tags: c.tags.join(", "),
    description: c.description ?? "",
  });

  return (
    <div className="case-controls">
      <div className="form-row" role="group" aria-label="Change status">
        {c.allowedTransitions.map((to) => (
          <button
            key={to}
            type="button"
            className={`btn btn-small${to === "closed" || c.status === "pending_review" ? "" : " btn-secondary"}`}
            disabled={move.isPending}
            onClick={() => move.mutate(to)}
          >
            {MOVE_LABEL(c.status, to)}
          </button>
        ))}
        <button type="button" className="btn btn-small btn-secondary" aria-expanded={editing} onClick={() => setEditing((e) => !e)}>
          {editing ? "Cancel editing" : "Edit details"}
        </button>
      </div>
      {move.error ? (
        <div className="alert alert-error" role="alert">
          {move.errorMessage}
        </div>
      ) : null}
      {editing ? (
        <form
          className="panel case-edit"
          aria-label="Edit case details"
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate(
              {
                title: draft.title,
                description: draft.description.trim() ? draft.description : null,
                severity: draft.severity,
                assigneeId: draft.assigneeId || null,
                tags: splitTags(draft.tags),
              },
              { onSuccess: () => setEditing(false) },
            );
          }}
        >
          <CaseFields
            idPrefix="ce"
            draft={draft}
            onChange={(patch) => setDraft((d) => ({ ...d, ...patch }))}
            users={users}
            error={save.error}
          />
          {save.error ? (
            <div className="alert alert-error" role="alert">
              {save.errorMessage}
            </div>
          ) : null}
          <button type="submit" className="btn btn-small" disabled={save.isPending}>
            {save.isPending ? "Saving…" : "Save details"}
          </button>
        </form>
      ) : null}
    </div>
  );
}
