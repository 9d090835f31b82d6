"use client";

import { useState } from "react";
import Link from "next/link";
import type { CaseItemDto, CaseItemType } from "@/lib/cases/types";
import { annotateItem, removeItem, useCaseChange } from "@/components/api/cases";
import { Time } from "@/components/time";

const GROUPS: { type: CaseItemType; label: string }[] = [
  { type: "session", label: "Sessions" },
  { type: "event", label: "Events" },
  { type: "identity", label: "Identities" },
  { type: "finding", label: "Findings" },
  { type: "lineage_snapshot", label: "Lineage snapshots" },
];

// Evidence grouped by type, each with what it cites, who added it, and the analyst's annotation (editable for
// writers; read-only otherwise).
export function EvidenceItems({ caseId, items, canWrite }: { caseId: string; items: CaseItemDto[]; canWrite: boolean }) {
  if (items.length === 0) {
    return (
      <p className="muted">
        No evidence yet.{" "}
        {canWrite
          ? "Use “Add to case” on a session, an event row, an identity, a finding or a lineage graph to cite it here."
          : "Evidence that analysts cite appears here."}
      </p>
    );
  }
  return (
    <>
      {GROUPS.map((g) => {
        const rows = items.filter((i) => i.itemType === g.type);
        if (rows.length === 0) return null;
        return (
          <div key={g.type} className="case-evidence-group">
            <h3>
              {g.label} ({rows.length})
            </h3>
            <ul className="case-evidence">
              {rows.map((i) => (
                <EvidenceItem key={i.id} caseId={caseId} item={i} canWrite={canWrite} />
              ))}
            </ul>
          </div>
        );
      })}
    </>
  );
}

function EvidenceItem({ caseId, item, canWrite }: { caseId: string; item: CaseItemDto; canWrite: boolean }) {
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(item.annotation ?? "");
  const save = useCaseChange((annotation: string | null) => annotateItem(caseId, item.id, annotation));
  const remove = useCaseChange((_: null) => removeItem(caseId, item.id));
  const id = `ann-${item.id}`;
  return (
    <li data-testid="case-item">
      <div>
        {item.href ? <Link href={item.href}>{item.title}</Link> : <strong>{item.title}</strong>}
        {item.missing ? <span className="badge badge-off"> no longer in the store</span> : null}
      </div>
      <div className="muted">{item.detail}</div>
      <div className="muted case-item-meta">
        Added <Time iso={item.addedAt} />
        {item.addedBy ? ` by ${item.addedBy.name ?? item.addedBy.email}` : ""}
      </div>
      {editing ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate(text.trim() ? text : null, { onSuccess: () => setEditing(false) });
          }}
        >
          <div className="field">
            <label htmlFor={id}>Annotation</label>
            <textarea id={id} rows={2} value={text} onChange={(e) => setText(e.target.value)} maxLength={5000} />
          </div>
          <div className="form-row">
            <button type="submit" className="btn btn-small" disabled={save.isPending}>
              Save annotation
            </button>
            <button type="button" className="btn btn-small btn-secondary" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <blockquote className="case-annotation">{item.annotation ?? <span className="muted">No annotation.</span>}</blockquote>
      )}
      {canWrite && !editing ? (
        <div className="form-row">
          <button type="button" className="btn btn-small btn-secondary" onClick={() => setEditing(true)}>
            Edit annotation
          </button>
          <button
            type="button"
            className="btn btn-small btn-danger"
            disabled={remove.isPending}
            onClick={() => {
              if (window.confirm(`Remove “${item.title}” from this case? The removal is recorded in the history.`)) remove.mutate(null);
            }}
          >
            Remove
          </button>
        </div>
      ) : null}
      {save.error || remove.error ? (
        <div className="alert alert-error" role="alert">
          {save.errorMessage ?? remove.errorMessage}
        </div>
      ) : null}
    </li>
  );
}
