"use client";

import { useState } from "react";
import { STATUS_LABEL, type CaseStatus } from "@/lib/cases/types";
import { useCaseAction } from "./use-case-action";

type UserOption = { id: string; label: string };
type CaseFields = {
  id: string;
  title: string;
  description: string | null;
  severity: string;
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
export function CaseControls({ c, users }: { c: CaseFields; users: UserOption[] }) {
  const move = useCaseAction((status: CaseStatus) => ({ url: `/api/v1/cases/${c.id}`, method: "PATCH", body: { status } }));
  const save = useCaseAction((body: Record<string, unknown>) => ({ url: `/api/v1/cases/${c.id}`, method: "PATCH", body }));
  const [editing, setEditing] = useState(false);
  const [title, setTitle] = useState(c.title);
  const [description, setDescription] = useState(c.description ?? "");
  const [severity, setSeverity] = useState(c.severity);
  const [assigneeId, setAssigneeId] = useState(c.assigneeId ?? "");
  const [tags, setTags] = useState(c.tags.join(", "));

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
          {move.error.message}
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
                title,
                description: description.trim() ? description : null,
                severity,
                assigneeId: assigneeId || null,
                tags: tags
                  .split(",")
                  .map((t) => t.trim())
                  .filter(Boolean),
              },
              { onSuccess: () => setEditing(false) },
            );
          }}
        >
          <div className="form-row">
            <div className="field" style={{ flex: "3 1 300px" }}>
              <label htmlFor="ce-title">Title</label>
              <input id="ce-title" value={title} onChange={(e) => setTitle(e.target.value)} required maxLength={200} />
            </div>
            <div className="field">
              <label htmlFor="ce-severity">Severity</label>
              <select id="ce-severity" value={severity} onChange={(e) => setSeverity(e.target.value)}>
                <option value="low">Low</option>
                <option value="medium">Medium</option>
                <option value="high">High</option>
                <option value="critical">Critical</option>
              </select>
            </div>
            <div className="field">
              <label htmlFor="ce-assignee">Assignee</label>
              <select id="ce-assignee" value={assigneeId} onChange={(e) => setAssigneeId(e.target.value)}>
                <option value="">Unassigned</option>
                {users.map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.label}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="ce-tags">Tags (comma-separated)</label>
              <input id="ce-tags" value={tags} onChange={(e) => setTags(e.target.value)} />
            </div>
          </div>
          <div className="field" style={{ marginTop: "0.75rem" }}>
            <label htmlFor="ce-description">Description</label>
            <textarea id="ce-description" rows={3} value={description} onChange={(e) => setDescription(e.target.value)} />
          </div>
          {save.error ? (
            <div className="alert alert-error" role="alert">
              {save.error.message}
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
