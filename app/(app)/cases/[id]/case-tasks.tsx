"use client";

import { useState } from "react";
import { AssigneeSelect, type CaseUserOption } from "@/components/case-fields";
import { fmtTime } from "@/components/format";
import type { CaseTaskDto } from "@/lib/cases/types";
import { addTask, updateTask, useCaseChange } from "@/components/api/cases";

// The case's checklist: writers tick tasks and add new ones; readers see the same list without controls.
export function CaseTasks({
  caseId,
  tasks,
  canWrite,
  users,
}: {
  caseId: string;
  tasks: CaseTaskDto[];
  canWrite: boolean;
  users: CaseUserOption[];
}) {
  const toggle = useCaseChange((v: { id: string; done: boolean }) => updateTask(caseId, v.id, { done: v.done }));
  const add = useCaseChange((body: { title: string; assigneeId?: string; dueAt?: string }) => addTask(caseId, body));
  const [title, setTitle] = useState("");
  const [assigneeId, setAssigneeId] = useState("");
  const [due, setDue] = useState("");

  return (
    <>
      {tasks.length === 0 ? (
        <p className="muted">No tasks yet.{canWrite ? " Add the next steps of the investigation below." : ""}</p>
      ) : null}
      <ul className="case-tasks">
        {tasks.map((t) => {
          const meta = [
            t.assignee ? `assigned to ${t.assignee.name ?? t.assignee.email}` : null,
            t.dueAt ? `due ${t.dueAt.slice(0, 10)}` : null,
            t.completedAt ? `done ${fmtTime(t.completedAt)}` : null,
          ].filter(Boolean);
          return (
            <li key={t.id} data-testid="case-task">
              {canWrite ? (
                <TaskCheck
                  key={`${t.id}-${t.done}`}
                  title={t.title}
                  done={t.done}
                  disabled={toggle.isPending}
                  onToggle={(done, revert) => toggle.mutate({ id: t.id, done }, { onError: revert })}
                />
              ) : (
                <span className={t.done ? "case-task-done" : undefined}>
                  {t.done ? "✓ " : "☐ "}
                  {t.title}
                  <span className="visually-hidden">{t.done ? " (done)" : " (open)"}</span>
                </span>
              )}
              {meta.length ? <span className="muted"> · {meta.join(" · ")}</span> : null}
            </li>
          );
        })}
      </ul>
      {toggle.error ? (
        <div className="alert alert-error" role="alert">
          {toggle.errorMessage}
        </div>
      ) : null}
      {canWrite ? (
        <form
          aria-label="Add a task"
          onSubmit={(e) => {
            e.preventDefault();
            add.mutate(
              { title, assigneeId: assigneeId || undefined, dueAt: due || undefined },
              {
                onSuccess: () => {
                  setTitle("");
                  setDue("");
                },
              },
            );
          }}
        >
          <div className="form-row">
            <div className="field" style={{ flex: "3 1 240px" }}>
              <label htmlFor="task-title">New task</label>
              <input id="task-title" value={title} onChange={(e) => setTitle(e.target.value)} required maxLength={300} />
            </div>
            <AssigneeSelect id="task-assignee" value={assigneeId} onChange={setAssigneeId} users={users} none="Nobody" />
            <div className="field">
              <label htmlFor="task-due">Due</label>
              <input id="task-due" type="date" value={due} onChange={(e) => setDue(e.target.value)} />
            </div>
            <div className="form-submit">
              <button type="submit" className="btn btn-small" disabled={add.isPending}>
                Add task
              </button>
            </div>
          </div>
          {add.error ? (
            <div className="alert alert-error" role="alert">
              {add.errorMessage}
            </div>
          ) : null}
        </form>
      ) : null}
    </>
  );
}

// The box turns at once (optimistic); the server page refresh then confirms it, or the error reverts it.
function TaskCheck({
  title,
  done,
  disabled,
  onToggle,
}: {
  title: string;
  done: boolean;
  disabled: boolean;
  onToggle: (done: boolean, revert: () => void) => void;
}) {
  const [checked, setChecked] = useState(done);
  return (
    <label className="case-task-check">
      <input
        type="checkbox"
        checked={checked}
        disabled={disabled}
        onChange={(e) => {
          const next = e.target.checked;
          setChecked(next);
          onToggle(next, () => setChecked(!next));
        }}
      />{" "}
      <span className={checked ? "case-task-done" : undefined}>{title}</span>
    </label>
  );
}
