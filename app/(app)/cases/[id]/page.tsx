import Link from "next/link";
import { evidenceFields, valueText } from "@/lib/risk/evidence-fields";
import { recordView } from "@/lib/audit/record-view";
import { requirePage } from "@/lib/auth/guard";
import { can } from "@/lib/auth/permissions";
import { getCase } from "@/lib/cases/get-case";
import { getCaseTimeline } from "@/lib/cases/get-case-timeline";
import { STATUS_LABEL, timelineQuery } from "@/lib/cases/types";
import { listUsers } from "@/lib/users/list-users";
import { AddToCaseNote } from "./add-to-case-note";
import { CaseControls } from "./case-controls";
import { CaseNotes } from "./case-notes";
import { CaseTasks } from "./case-tasks";
import { CaseTimelineChart } from "./case-timeline-chart";
import { EvidenceItems } from "./evidence-items";
import { EmptyState, PageHeader } from "@/components/empty-state";
import { LegalHoldPanel } from "@/components/legal-hold-panel";
import { Time } from "@/components/time";

export const metadata = { title: "Case" };

type SP = Record<string, string | string[] | undefined>;

const ACTION_WORDS: Record<string, string> = {
  created: "opened the case",
  updated: "changed details",
  status_changed: "changed the status",
  item_added: "added evidence",
  item_annotated: "changed an annotation",
  item_removed: "removed evidence",
  note_added: "added a note",
  note_updated: "edited a note",
  task_added: "added a task",
  task_updated: "changed a task",
  exported: "exported the evidence package",
  export_failed: "tried to export (failed)",
  report_downloaded: "downloaded the case report",
  hold_placed: "placed a legal hold",
  hold_released: "released a legal hold",
  viewed: "viewed the case",
};

const cut = (s: string) => (s.length > 400 ? `${s.slice(0, 399)}…` : s);

/** A history entry's before or after as labelled fields in words (lib/risk/evidence-fields.ts), not JSON. */
function Fields({ v }: { v: unknown }) {
  if (v === null || v === undefined) return <span className="muted">—</span>;
  if (typeof v !== "object" || Array.isArray(v)) return <>{cut(valueText("", v))}</>;
  const fields = evidenceFields(v as Record<string, unknown>);
  if (fields.length === 0) return <span className="muted">—</span>;
  return (
    <dl className="case-fields">
      {fields.map((f) => (
        <div key={f.key}>
          <dt>{f.label}</dt>
          <dd>{cut(f.value)}</dd>
        </div>
      ))}
    </dl>
  );
}

// One case: header and workflow, evidence, tasks, notes, the two-lane timeline and the full history. Readers
// without cases.write (auditors) get the same page with no forms.
export default async function CasePage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<SP> }) {
  const user = await requirePage("/cases/[id]");
  const { id } = await params;
  const sp = await searchParams;
  const tq = timelineQuery.safeParse({ evidenceOffset: sp.evidenceOffset, evidenceLimit: sp.evidenceLimit });
  const [c, timeline, users] = await Promise.all([
    getCase({ id }),
    getCaseTimeline({ caseId: id, ...(tq.success ? tq.data : {}) }),
    listUsers(),
  ]);
  if (!c || !timeline) {
    // A page, not a bare 404: an old link deserves a way back to the list.
    return (
      <>
        <PageHeader title="Case not found" />
        <EmptyState title="There is no case with this id">
          <p>
            Check the link, or find the case on the <Link href="/cases">Cases</Link> page by title, number or tag.
          </p>
        </EmptyState>
      </>
    );
  }
  await recordView({ ctx: user.ctx, type: "case", id: c.id });
  const canWrite = can(user.role, "cases.write");
  const canExport = can(user.role, "cases.export");
  const workers = users
    .filter((u) => !u.disabled && can(u.role, "cases.write"))
    .map((u) => ({ id: u.id, label: u.name ? `${u.name} (${u.email})` : u.email }));
  const ev = timeline.evidence;

  return (
    <>
      <p className="muted" style={{ margin: "0 0 0.5rem" }}>
        <Link href="/cases">← All cases</Link>
      </p>
      <PageHeader
        title={`#${c.number} ${c.title}`}
        description={c.description ?? undefined}
        actions={
          canExport ? (
            <div className="form-row" role="group" aria-label="Downloads">
              <a className="btn btn-secondary" href={`/api/v1/cases/${c.id}/report?format=pdf`} download>
                Case report (PDF)
              </a>
              <a className="btn btn-secondary" href={`/api/v1/cases/${c.id}/report?format=html`} download>
                Case report (HTML)
              </a>
              <a className="btn btn-secondary" href={`/api/v1/cases/${c.id}/export`} download>
                Download evidence package
              </a>
            </div>
          ) : null
        }
      />
      <section className="panel" aria-labelledby="case-summary-h">
        <h2 id="case-summary-h" className="visually-hidden">
          Summary
        </h2>
        <dl className="kv case-kv">
          <dt>Status</dt>
          <dd>
            <span className={`case-status case-status-${c.status}`} data-testid="case-status">
              {STATUS_LABEL[c.status]}
            </span>
            {c.closedAt ? (
              <span className="muted">
                {" "}
                since <Time iso={c.closedAt} />
              </span>
            ) : null}
          </dd>
          <dt>Severity</dt>
          <dd>
            <span className={`risk-${c.severity}`}>{c.severity}</span>
          </dd>
          <dt>Assignee</dt>
          <dd>{c.assignee ? (c.assignee.name ?? c.assignee.email) : <span className="muted">unassigned</span>}</dd>
          <dt>Tags</dt>
          <dd>
            {c.tags.length ? (
              c.tags.map((t) => (
                <Link key={t} href={`/cases?tag=${encodeURIComponent(t)}`} className="kind case-tag">
                  {t}
                </Link>
              ))
            ) : (
              <span className="muted">none</span>
            )}
          </dd>
          <dt>Opened</dt>
          <dd>
            <Time iso={c.createdAt} />
            {c.createdBy ? ` by ${c.createdBy.name ?? c.createdBy.email}` : ""}
          </dd>
          <dt>Last change</dt>
          <dd>
            <Time iso={c.updatedAt} />
          </dd>
        </dl>
        {canWrite ? (
          <CaseControls
            c={{
              id: c.id,
              title: c.title,
              description: c.description,
              severity: c.severity,
              status: c.status,
              assigneeId: c.assignee?.id ?? null,
              tags: c.tags,
              allowedTransitions: c.allowedTransitions,
            }}
            users={workers}
          />
        ) : (
          <p className="muted">Read-only: your role can read and download this case but not change it.</p>
        )}
      </section>

      {/* legal-hold panel (H7) */}
      <LegalHoldPanel caseId={c.id} canManage={can(user.role, "holds.manage")} />

      <section className="panel" aria-labelledby="evidence-h">
        <h2 id="evidence-h">Evidence ({c.items.length})</h2>
        <EvidenceItems caseId={c.id} items={c.items} canWrite={canWrite} />
        {canWrite ? <AddToCaseNote /> : null}
      </section>

      <div className="grid-2 case-grid">
        <section className="panel" aria-labelledby="tasks-h">
          <h2 id="tasks-h">Tasks</h2>
          <CaseTasks caseId={c.id} tasks={c.tasks} canWrite={canWrite} users={workers} />
        </section>
        <section className="panel" aria-labelledby="notes-h">
          <h2 id="notes-h">Notes</h2>
          <CaseNotes caseId={c.id} notes={c.notes} canWrite={canWrite} userId={user.id} isAdmin={user.role === "admin"} />
        </section>
      </div>

      <section className="panel" aria-labelledby="timeline-h">
        <h2 id="timeline-h">Timeline</h2>
        <p className="muted">
          Evidence is placed at <strong>event time</strong> (when it happened on the platform); handling at <strong>case time</strong> (when
          it was found and worked here). {ev.total.toLocaleString("en")} evidence events
          {ev.total > ev.shown
            ? `, ${(ev.offset + 1).toLocaleString("en")}–${(ev.offset + ev.shown).toLocaleString("en")} shown`
            : ""}; {timeline.handling.total.toLocaleString("en")} case activities.
        </p>
        {timeline.entries.length === 0 ? (
          <p className="muted">Nothing to place yet: cite sessions, events or findings to see their events here.</p>
        ) : (
          <>
            <CaseTimelineChart entries={timeline.entries} />
            {ev.total > ev.limit ? (
              <nav className="table-tools" aria-label="Evidence pages">
                {ev.offset > 0 ? (
                  <Link href={`/cases/${c.id}?evidenceOffset=${Math.max(0, ev.offset - ev.limit)}&evidenceLimit=${ev.limit}`}>
                    ← Earlier evidence
                  </Link>
                ) : null}
                {ev.offset + ev.shown < ev.total ? (
                  <Link href={`/cases/${c.id}?evidenceOffset=${ev.offset + ev.limit}&evidenceLimit=${ev.limit}`}>Later evidence →</Link>
                ) : null}
              </nav>
            ) : null}
            <div className="vscroll case-timeline-list">
              <table className="data" data-testid="case-timeline">
                <caption className="visually-hidden">Case timeline: evidence and handling entries in time order</caption>
                <thead>
                  <tr>
                    <th scope="col">Time (UTC)</th>
                    <th scope="col">Lane</th>
                    <th scope="col">What</th>
                    <th scope="col">Detail</th>
                  </tr>
                </thead>
                <tbody>
                  {timeline.entries.map((e) => (
                    <tr key={`${e.lane}-${e.id}`} className={`lane-${e.lane}`}>
                      <td>
                        <Time iso={e.at} />
                      </td>
                      <td>
                        <span className={`case-lane case-lane-${e.lane}`}>
                          {e.lane === "evidence" ? "Evidence · event time" : "Handling · case time"}
                        </span>
                      </td>
                      <td>{e.href ? <Link href={e.href}>{e.label}</Link> : e.label}</td>
                      <td>{e.detail}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </section>

      <section className="panel" aria-labelledby="history-h">
        <h2 id="history-h">History</h2>
        <p className="muted">
          Every change to this case: who, what, when, and the values before and after.
          {c.activityTotal > c.activity.length
            ? ` The newest ${c.activity.length.toLocaleString("en")} of ${c.activityTotal.toLocaleString("en")} are shown.`
            : ""}
        </p>
        <table className="data case-history" data-testid="case-history">
          <caption className="visually-hidden">Case history, newest first</caption>
          <thead>
            <tr>
              <th scope="col">When (UTC)</th>
              <th scope="col">Who</th>
              <th scope="col">What</th>
              <th scope="col">Before</th>
              <th scope="col">After</th>
            </tr>
          </thead>
          <tbody>
            {c.activity.map((a) => (
              <tr key={a.id}>
                <td>
                  <Time iso={a.at} />
                </td>
                <td>{a.actor ? (a.actor.name ?? a.actor.email) : "a deleted user"}</td>
                <td>{ACTION_WORDS[a.action] ?? a.action}</td>
                <td>
                  <Fields v={a.before} />
                </td>
                <td>
                  <Fields v={a.after} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}
