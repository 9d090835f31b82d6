"use client";

import { ApiError } from "@/components/api/client";
import type { Severity } from "@/lib/cases/types";

// The editable fields of a case (title, severity, assignee, tags, description), shared by the "New case" form and
// the case page's "Edit details" form so both ask the same way and show the API's field errors the same way.

export type CaseDraft = { title: string; severity: Severity; assigneeId: string; tags: string; description: string };
export type CaseUserOption = { id: string; label: string };

const SEVERITY_OPTIONS = [
  { value: "low", label: "Low" },
  { value: "medium", label: "Medium" },
  { value: "high", label: "High" },
  { value: "critical", label: "Critical" },
];

/** The tags field is one comma-separated text; the API takes a list. */
export const splitTags = (tags: string): string[] =>
  tags
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean);

/** Who a case or a task is assigned to; "" is nobody (`none` names that choice). */
export function AssigneeSelect({
  id,
  value,
  onChange,
  users,
  none,
}: {
  id: string;
  value: string;
  onChange: (userId: string) => void;
  users: CaseUserOption[];
  none: string;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>Assignee</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{none}</option>
        {users.map((u) => (
          <option key={u.id} value={u.id}>
            {u.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export function CaseFields({
  idPrefix,
  draft,
  onChange,
  users,
  error,
}: {
  /** Keeps the ids apart when two forms could be on one page. */
  idPrefix: string;
  draft: CaseDraft;
  onChange: (patch: Partial<CaseDraft>) => void;
  users: CaseUserOption[];
  /** The last save's error: its per-field messages (a 422 from the API) show under the field they are about. */
  error?: unknown;
}) {
  const id = (f: string) => `${idPrefix}-${f}`;
  const fieldErr = (f: string) => (error instanceof ApiError ? error.fields?.[f]?.join("; ") : undefined);
  return (
    <>
      <div className="form-row">
        <div className="field" style={{ flex: "3 1 320px" }}>
          <label htmlFor={id("title")}>Title</label>
          <input id={id("title")} value={draft.title} onChange={(e) => onChange({ title: e.target.value })} required maxLength={200} />
          {fieldErr("title") ? <div className="error">{fieldErr("title")}</div> : null}
        </div>
        <div className="field">
          <label htmlFor={id("severity")}>Severity</label>
          <select id={id("severity")} value={draft.severity} onChange={(e) => onChange({ severity: e.target.value as Severity })}>
            {SEVERITY_OPTIONS.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </div>
        <AssigneeSelect
          id={id("assignee")}
          value={draft.assigneeId}
          onChange={(assigneeId) => onChange({ assigneeId })}
          users={users}
          none="Unassigned"
        />
        <div className="field">
          <label htmlFor={id("tags")}>Tags</label>
          <input
            id={id("tags")}
            value={draft.tags}
            onChange={(e) => onChange({ tags: e.target.value })}
            aria-describedby={id("tags-hint")}
          />
          <div className="hint" id={id("tags-hint")}>
            Comma-separated
          </div>
          {fieldErr("tags") ? <div className="error">{fieldErr("tags")}</div> : null}
        </div>
      </div>
      <div className="field" style={{ marginTop: "0.75rem" }}>
        <label htmlFor={id("description")}>Description</label>
        <textarea id={id("description")} rows={3} value={draft.description} onChange={(e) => onChange({ description: e.target.value })} />
        {fieldErr("description") ? <div className="error">{fieldErr("description")}</div> : null}
      </div>
    </>
  );
}
