"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { useMutation } from "@tanstack/react-query";
import { apiFetch, ApiError } from "@/components/api-client";

type Created = { id: string; number: number };

// "New case": title, severity, optional assignee, description and tags; opens the new case on success.
export function NewCaseForm({ users }: { users: { id: string; label: string }[] }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [title, setTitle] = useState("");
  const [severity, setSeverity] = useState("medium");
  const [assigneeId, setAssigneeId] = useState("");
  const [description, setDescription] = useState("");
  const [tags, setTags] = useState("");
  const create = useMutation({
    mutationFn: () =>
      apiFetch<Created>("/api/v1/cases", {
        method: "POST",
        body: JSON.stringify({
          title,
          severity,
          assigneeId: assigneeId || undefined,
          description: description || undefined,
          tags: tags
            .split(",")
            .map((t) => t.trim())
            .filter(Boolean),
        }),
      }),
    onSuccess: (c) => router.push(`/cases/${c.id}`),
  });
  const fieldErr = (f: string) => (create.error instanceof ApiError ? create.error.fields?.[f]?.join("; ") : undefined);

  if (!open) {
    return (
      <div style={{ marginBottom: "1rem" }}>
        <button type="button" className="btn" onClick={() => setOpen(true)}>
          New case
        </button>
      </div>
    );
  }
  return (
    <section className="panel" aria-labelledby="new-case-h" style={{ marginBottom: "1rem" }}>
      <h2 id="new-case-h">New case</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <div className="form-row">
          <div className="field" style={{ flex: "3 1 320px" }}>
            <label htmlFor="nc-title">Title</label>
            <input id="nc-title" value={title} onChange={(e) => setTitle(e.target.value)} required maxLength={200} />
            {fieldErr("title") ? <div className="error">{fieldErr("title")}</div> : null}
          </div>
          <div className="field">
            <label htmlFor="nc-severity">Severity</label>
            <select id="nc-severity" value={severity} onChange={(e) => setSeverity(e.target.value)}>
              <option value="low">Low</option>
              <option value="medium">Medium</option>
              <option value="high">High</option>
              <option value="critical">Critical</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor="nc-assignee">Assignee</label>
            <select id="nc-assignee" value={assigneeId} onChange={(e) => setAssigneeId(e.target.value)}>
              <option value="">Unassigned</option>
              {users.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.label}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="nc-tags">Tags</label>
            <input id="nc-tags" value={tags} onChange={(e) => setTags(e.target.value)} aria-describedby="nc-tags-hint" />
            <div className="hint" id="nc-tags-hint">
              Comma-separated
            </div>
            {fieldErr("tags") ? <div className="error">{fieldErr("tags")}</div> : null}
          </div>
        </div>
        <div className="field" style={{ marginTop: "0.75rem" }}>
          <label htmlFor="nc-description">Description</label>
          <textarea id="nc-description" rows={3} value={description} onChange={(e) => setDescription(e.target.value)} />
        </div>
        {create.error ? (
          <div className="alert alert-error" role="alert">
            {create.error.message}
          </div>
        ) : null}
        <div className="form-row">
          <button type="submit" className="btn" disabled={create.isPending}>
            {create.isPending ? "Creating…" : "Create case"}
          </button>
          <button type="button" className="btn btn-secondary" onClick={() => setOpen(false)}>
            Cancel
          </button>
        </div>
      </form>
    </section>
  );
}
