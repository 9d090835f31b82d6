"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { casesKeys, createCase } from "@/components/api/cases";
import { useApiMutation } from "@/components/api/mutation";
import { CaseFields, splitTags, type CaseDraft, type CaseUserOption } from "@/components/case-fields";

// "New case": title, severity, optional assignee, description and tags; opens the new case on success.
export function NewCaseForm({ users }: { users: CaseUserOption[] }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState<CaseDraft>({ title: "", severity: "medium", assigneeId: "", tags: "", description: "" });
  const create = useApiMutation({
    mutationFn: () =>
      createCase({
        title: draft.title,
        severity: draft.severity,
        assigneeId: draft.assigneeId || undefined,
        description: draft.description || undefined,
        tags: splitTags(draft.tags),
      }),
    invalidates: [casesKeys.all],
    onSuccess: (c) => router.push(`/cases/${c.id}`),
  });

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
        <CaseFields
          idPrefix="nc"
          draft={draft}
          onChange={(patch) => setDraft((d) => ({ ...d, ...patch }))}
          users={users}
          error={create.error}
        />
        {create.error ? (
          <div className="alert alert-error" role="alert">
            {create.errorMessage}
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
