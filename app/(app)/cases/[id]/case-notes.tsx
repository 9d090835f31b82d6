"use client";

import { useState } from "react";
import ReactMarkdown from "react-markdown";
import remarkGfm from "remark-gfm";
import { fmtTime } from "@/components/format";
import type { CaseNoteDto } from "@/lib/cases/types";
import { addNote, updateNote, useCaseChange } from "@/components/api/cases";
import { Time } from "@/components/time";

// Markdown notes. react-markdown renders without raw HTML (no rehype-raw), so a note cannot inject markup.
export function CaseNotes({
  caseId,
  notes,
  canWrite,
  userId,
  isAdmin,
}: {
  caseId: string;
  notes: CaseNoteDto[];
  canWrite: boolean;
  userId: string;
  isAdmin: boolean;
}) {
  const add = useCaseChange((body: string) => addNote(caseId, body));
  const [body, setBody] = useState("");
  return (
    <>
      {notes.length === 0 ? (
        <p className="muted">No notes yet.{canWrite ? " Write findings, hypotheses and decisions below (markdown)." : ""}</p>
      ) : null}
      <ol className="case-notes">
        {notes.map((n) => (
          <Note key={n.id} caseId={caseId} note={n} canEdit={canWrite && (n.author?.id === userId || isAdmin)} />
        ))}
      </ol>
      {canWrite ? (
        <form
          aria-label="Add a note"
          onSubmit={(e) => {
            e.preventDefault();
            add.mutate(body, { onSuccess: () => setBody("") });
          }}
        >
          <div className="field">
            <label htmlFor="note-body">New note (markdown)</label>
            <textarea id="note-body" rows={4} value={body} onChange={(e) => setBody(e.target.value)} required maxLength={20000} />
          </div>
          {add.error ? (
            <div className="alert alert-error" role="alert">
              {add.errorMessage}
            </div>
          ) : null}
          <button type="submit" className="btn btn-small" disabled={add.isPending}>
            {add.isPending ? "Adding…" : "Add note"}
          </button>
        </form>
      ) : null}
    </>
  );
}

function Note({ caseId, note, canEdit }: { caseId: string; note: CaseNoteDto; canEdit: boolean }) {
  const [editing, setEditing] = useState(false);
  const [body, setBody] = useState(note.body);
  const save = useCaseChange((b: string) => updateNote(caseId, note.id, b));
  const id = `note-${note.id}`;
  return (
    <li className="case-note" data-testid="case-note">
      <div className="muted case-item-meta">
        {note.author ? (note.author.name ?? note.author.email) : "A deleted user"} · <Time iso={note.createdAt} />
        {note.updatedAt !== note.createdAt ? ` · edited ${fmtTime(note.updatedAt)}` : ""}
      </div>
      {editing ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate(body, { onSuccess: () => setEditing(false) });
          }}
        >
          <div className="field">
            <label htmlFor={id}>Edit note (markdown)</label>
            <textarea id={id} rows={4} value={body} onChange={(e) => setBody(e.target.value)} required maxLength={20000} />
          </div>
          {save.error ? (
            <div className="alert alert-error" role="alert">
              {save.errorMessage}
            </div>
          ) : null}
          <div className="form-row">
            <button type="submit" className="btn btn-small" disabled={save.isPending}>
              Save note
            </button>
            <button type="button" className="btn btn-small btn-secondary" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <div className="markdown">
          <ReactMarkdown remarkPlugins={[remarkGfm]} skipHtml>
            {note.body}
          </ReactMarkdown>
        </div>
      )}
      {canEdit && !editing ? (
        <button type="button" className="btn btn-small btn-secondary" onClick={() => setEditing(true)}>
          Edit note
        </button>
      ) : null}
    </li>
  );
}
