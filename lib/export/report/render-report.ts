import { CATEGORY_LABEL, STATUS_LABEL as CHECK_STATUS_LABEL, type CheckStatus } from "@/lib/governance/types";
import { STATUS_LABEL as CASE_STATUS_LABEL, type CaseStatus } from "@/lib/cases/types";
import { riskRule } from "@/lib/risk/catalog";
import { kindLabel, platformLabel } from "@/lib/sessions/words";
import { VERIFY_COMMANDS } from "../readme";
import type { CaseReport } from "./collect-report";
import { h, hText } from "./html-text";
import { timelineSvg } from "./timeline-svg";

// report.html: the case as a person reads it, printable and self-contained. No script, no external font, image or
// style sheet (inline CSS; the timeline is inline SVG), so it renders the same offline, from the package, years
// later; the PDF (print-pdf.ts) is Chromium printing exactly this page. Every string from the database goes
// through h() / hText() (html-text.ts); the rest is this file's own text.

const CSS = `
  :root { color-scheme: light; }
  body { font: 10pt/1.45 "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: #111; margin: 2rem auto; max-width: 60rem; }
  header { border-bottom: 2px solid #111; margin-bottom: 1rem; padding-bottom: .5rem; }
  h1 { font-size: 17pt; margin: 0 0 .3rem; }
  h2 { font-size: 13pt; margin: 1.4rem 0 .4rem; border-bottom: 1px solid #bbb; }
  h3 { font-size: 11pt; margin: .9rem 0 .25rem; }
  dl.kv { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem; margin: .4rem 0; }
  dl.kv dt { font-weight: 600; }
  dl.kv dd { margin: 0; }
  table { border-collapse: collapse; width: 100%; margin: .3rem 0 .8rem; }
  th, td { border: 1px solid #999; padding: .2rem .35rem; text-align: left; vertical-align: top; font-size: 8.5pt; }
  thead th { background: #e8e8e8; }
  code, .mono { font-family: "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 8.5pt; }
  .fp { font-family: "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 8pt; white-space: nowrap; }
  .muted { color: #555; }
  .note { white-space: pre-wrap; border-left: 3px solid #999; padding: .2rem .6rem; margin: .3rem 0 .6rem; }
  .session { border: 1px solid #bbb; padding: .4rem .6rem; margin: .5rem 0; }
  .headline { font-weight: 600; margin: .3rem 0; }
  .answers dt { font-weight: 600; }
  .answers dd { margin: 0 0 .25rem 1rem; }
  .status-ok { color: #1d5c2e; font-weight: 600; }
  .status-problem { color: #8a1c1c; font-weight: 600; }
  .notice { border: 1px solid #999; padding: .4rem .6rem; background: #f6f6f6; }
  figure { margin: .5rem 0; }
  figcaption { font-size: 8.5pt; color: #444; }
  @page { size: A4; margin: 14mm 12mm; }
  @media print {
    body { margin: 0; max-width: none; }
    * { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
    h2 { break-after: avoid; }
    tr, .session, figure, .note { break-inside: avoid; }
    thead { display: table-header-group; }
  }`;

const when = (v: string | null | undefined) => (v ? h(v.replace("T", " ").replace(/\.\d{3}Z$/, "Z")) : `<span class="muted">—</span>`);
const orNone = (v: string | null | undefined, none = "—") => (v ? h(v) : `<span class="muted">${h(none)}</span>`);
const plural = (n: number, word: string) => `${n.toLocaleString("en")} ${word}${n === 1 ? "" : "s"}`;
const checkLabel = (s: string) => CHECK_STATUS_LABEL[s as CheckStatus] ?? s;

function table(head: string[], rows: string[][], caption: string): string {
  return `<table><caption class="muted" style="caption-side:bottom;text-align:left">${h(caption)}</caption>
<thead><tr>${head.map((c) => `<th scope="col">${h(c)}</th>`).join("")}</tr></thead>
<tbody>
${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join("")}</tr>`).join("\n")}
</tbody></table>`;
}

function summary(r: CaseReport): string {
  const c = r.case;
  return `<section aria-labelledby="summary-h"><h2 id="summary-h">1. Summary and status</h2>
<dl class="kv">
  <dt>Status</dt><dd><strong>${h(CASE_STATUS_LABEL[c.status as CaseStatus] ?? c.status)}</strong>${c.closedAt ? ` since ${when(iso(c.closedAt))}` : ""}</dd>
  <dt>Severity</dt><dd>${h(c.severity)}</dd>
  <dt>Assignee</dt><dd>${orNone(c.assigneeEmail, "unassigned")}</dd>
  <dt>Opened</dt><dd>${when(iso(c.createdAt))}${c.createdByEmail ? ` by ${h(c.createdByEmail)}` : ""}</dd>
  <dt>Last change</dt><dd>${when(iso(c.updatedAt))}</dd>
  <dt>Tags</dt><dd>${c.tags.length ? c.tags.map(h).join(", ") : `<span class="muted">none</span>`}</dd>
  <dt>Findings</dt><dd>${plural(r.findings.length, "finding")} (${r.findings.filter((f) => ["open", "pending_approval", "expired"].includes(f.disposition)).length} still open)</dd>
  <dt>Governance</dt><dd>${plural(r.governance.total, "privileged action")} checked, ${r.governance.total - (r.governance.byStatus.ok ?? 0)} with a problem</dd>
</dl>
${c.description ? `<h3>Description</h3><div class="note">${hText(c.description)}</div>` : ""}
</section>`;
}

function scope(r: CaseReport): string {
  const s = r.scope;
  const items = Object.entries(s.items)
    .map(([k, n]) => `${n} ${h(k.replace(/_/g, " "))}${n === 1 ? "" : "s"}`)
    .join(", ");
  return `<section aria-labelledby="scope-h"><h2 id="scope-h">2. Scope</h2>
<dl class="kv">
  <dt>Time range (event time)</dt><dd>${s.from ? `${when(s.from)} to ${when(s.to)}` : `<span class="muted">no events</span>`}</dd>
  <dt>Evidence cited</dt><dd>${items || `<span class="muted">nothing cited</span>`}</dd>
  <dt>Events in scope</dt><dd>${s.events.toLocaleString("en")} (the events of cited sessions, cited events and the events behind cited findings)</dd>
  <dt>Platforms</dt><dd>${s.platforms.length ? s.platforms.map((p) => h(platformLabel(p.platform))).join(", ") : `<span class="muted">none</span>`}</dd>
</dl>
${
  s.platforms.length
    ? table(
        ["Platform", "Sessions", "Events", "First event", "Last event"],
        s.platforms.map((p) => [h(platformLabel(p.platform)), String(p.sessions), p.events.toLocaleString("en"), when(p.from), when(p.to)]),
        "Per platform: the case's sessions and events.",
      )
    : ""
}
<h3>Identities</h3>
${
  s.identities.length
    ? table(
        ["Identity", "Kind", "Email", "How it is in the case"],
        s.identities.map((i) => [h(i.name), h(kindLabel(i.kind)), orNone(i.email), i.cited ? "cited" : "ran or initiated a cited session"]),
        "Identities cited, and those who ran or initiated the case's sessions.",
      )
    : `<p class="muted">No identity is part of this case.</p>`
}
${
  s.missing.length
    ? `<p class="notice">${plural(s.missing.length, "cited item")} no longer resolve (for example a session regrouped by a later correlation run) and are not in this report: ${s.missing.map((m) => `${h(m.itemType)} ${h(m.refId)}`).join(", ")}.</p>`
    : ""
}
</section>`;
}

function timeline(r: CaseReport): string {
  return `<section aria-labelledby="timeline-h"><h2 id="timeline-h">3. Timeline</h2>
${
  r.timeline
    ? `<figure>${timelineSvg(r.timeline)}<figcaption>Sessions (bars, start to end) and events (columns, count per time bucket) of this case per platform, at event time (UTC).</figcaption></figure>`
    : `<p class="muted">No events to place: the case cites no session, event or finding with events.</p>`
}
</section>`;
}

function notes(r: CaseReport): string {
  return `<section aria-labelledby="notes-h"><h2 id="notes-h">4. Narrative notes</h2>
${
  r.notes.length
    ? r.notes
        .map(
          (n) =>
            `<p class="muted">${when(n.at)}, ${orNone(n.author, "a deleted user")}${n.edited ? ` (edited ${when(n.edited)})` : ""}</p><div class="note">${hText(n.body)}</div>`,
        )
        .join("\n")
    : `<p class="muted">No notes.</p>`
}
</section>`;
}

function sessions(r: CaseReport): string {
  const blocks = r.sessions.map((s) => {
    const row = s.row;
    return `<div class="session">
<h3>${h(platformLabel(row.platform))} session <span class="mono">${h(row.sessionKey)}</span></h3>
<p class="muted">${when(iso(row.startedAt))} to ${when(iso(row.endedAt))} · ${plural(row.eventCount, "event")} · grouped by ${h(row.rule)} (confidence ${h(row.confidence)})${row.riskLevel ? ` · risk ${h(row.riskLevel)} (${h(row.riskScore)})` : ""}${s.cited ? "" : " · in the case through a cited finding"} · id <span class="mono">${h(row.id)}</span></p>
${s.headline ? `<p class="headline">${h(s.headline)}</p>\n` : ""}<dl class="answers">
  <dt>Who initiated it?</dt><dd>${h(s.answers.initiator)}</dd>
  <dt>Which identity or NHI?</dt><dd>${h(s.answers.identity)}</dd>
  <dt>What was done?</dt><dd>${h(s.answers.actions)}</dd>
  <dt>Which business objects changed?</dt><dd>${h(s.answers.objects)}</dd>
</dl>
</div>`;
  });
  const more = r.sessionsTotal - r.sessions.length;
  return `<section aria-labelledby="sessions-h"><h2 id="sessions-h">5. Sessions: the four answers</h2>
${blocks.length ? blocks.join("\n") : `<p class="muted">The case holds no session.</p>`}
${more > 0 ? `<p class="notice">${plural(more, "more session")} of this case ${more === 1 ? "is" : "are"} not printed here; every session is in sessions.json of the evidence package.</p>` : ""}
</section>`;
}

function findings(r: CaseReport): string {
  const rows = r.findings.map((f) => {
    const dismissal =
      f.dismissalType || f.dismissedReason
        ? `${h((f.dismissalType ?? "dismissed").replace(/_/g, " "))}${f.dismissedBy ? ` by ${h(f.dismissedBy)}` : ""}${f.dismissedAt ? ` on ${when(f.dismissedAt)}` : ""}: ${orNone(f.dismissedReason, "no reason recorded")}` +
          (f.riskExpiresAt ? `<br>expires ${when(f.riskExpiresAt)}` : "") +
          (f.riskApprovedBy ? `<br>approved by ${h(f.riskApprovedBy)} on ${when(f.riskApprovedAt)}` : "")
        : `<span class="muted">not dismissed</span>`;
    const history = f.history
      .map((a) => `${when(a.at)} ${h(a.action)}${a.actor ? ` by ${h(a.actor)}` : ""}${a.reason ? `: ${h(a.reason)}` : ""}`)
      .join("<br>");
    return [
      `${h(f.title)}<br><span class="muted">${h(riskRule(f.ruleId)?.title ?? f.ruleId)}${f.cited ? "" : " · on a session of the case, not cited"}</span>`,
      h(f.severity),
      `<span class="${["open", "pending_approval", "expired"].includes(f.disposition) ? "status-problem" : "status-ok"}">${h(f.dispositionLabel)}</span>`,
      dismissal,
      history || `<span class="muted">—</span>`,
    ];
  });
  return `<section aria-labelledby="findings-h"><h2 id="findings-h">6. Findings</h2>
${rows.length ? table(["Finding", "Severity", "Status", "Dismissal", "History"], rows, "Cited findings first, then the other findings on the case's sessions.") : `<p class="muted">No finding is cited or raised on the case's sessions.</p>`}
</section>`;
}

function governance(r: CaseReport): string {
  const g = r.governance;
  const counts = Object.entries(g.byStatus)
    .sort((a, b) => b[1] - a[1])
    .map(([s, n]) => `${n} ${h(checkLabel(s).toLowerCase())}`)
    .join(", ");
  const rows = g.checks.map((c) => [
    when(c.time),
    `${h(platformLabel(c.platform))}<br><span class="muted">${h(CATEGORY_LABEL[c.category] ?? c.category)}</span>`,
    `${h(c.action)}${c.targetName ? `<br><span class="muted">on ${h(c.targetName)}</span>` : ""}`,
    h(c.actorName ?? c.identity?.name ?? "—"),
    `<span class="${c.status === "ok" ? "status-ok" : "status-problem"}">${h(checkLabel(c.status))}</span>${
      c.statuses.length > 1
        ? `<br><span class="muted">also ${c.statuses
            .slice(1)
            .map((s) => h(checkLabel(s)))
            .join(", ")}</span>`
        : ""
    }`,
    h(c.reason),
    c.approval
      ? `${h(c.approval.ticketKey)} (${h(c.approval.state ?? "state not recorded")})${c.approval.approver ? `<br>approver ${h(c.approval.approver)}` : ""}`
      : c.approvalRef
        ? `${h(c.approvalRef)} <span class="muted">(not in the feeds)</span>`
        : `<span class="muted">none</span>`,
    c.grant
      ? `${h(c.grant.externalId)}<br><span class="muted">${h(c.grant.privilege)}, ${when(c.grant.grantedAt)} to ${when(c.grant.endsAt)}</span>`
      : `<span class="muted">none</span>`,
  ]);
  return `<section aria-labelledby="governance-h"><h2 id="governance-h">7. Governance of privileged actions</h2>
<p>${g.total ? `${plural(g.total, "privileged action")} among the case's events: ${counts}.` : "No privileged action among the case's events."}</p>
${rows.length ? table(["Time (UTC)", "Platform", "Action", "Actor", "Status", "Reason", "Ticket", "JIT grant"], rows, "Each privileged action checked against its approval ticket, JIT grant and policy decision.") : ""}
${g.total > g.checks.length ? `<p class="notice">The first ${g.checks.length.toLocaleString("en")} of ${g.total.toLocaleString("en")} are listed; the counts above cover all of them.</p>` : ""}
</section>`;
}

function tasks(r: CaseReport): string {
  return `<section aria-labelledby="tasks-h"><h2 id="tasks-h">8. Tasks</h2>
${
  r.tasks.length
    ? table(
        ["Task", "Assignee", "Due", "Done"],
        r.tasks.map((t) => [h(t.title), orNone(t.assignee, "unassigned"), when(t.dueAt), t.done ? `done ${when(t.completedAt)}` : "open"]),
        "The case's tasks.",
      )
    : `<p class="muted">No tasks.</p>`
}
</section>`;
}

const REVIEW_WORDS: Record<string, string> = {
  created: "opened the case",
  exported: "exported the evidence package",
  report_downloaded: "downloaded the case report",
  hold_placed: "placed a legal hold",
  hold_released: "released a legal hold",
};

function review(r: CaseReport): string {
  const what = (e: CaseReport["review"]["entries"][number]) =>
    e.action === "status_changed"
      ? e.from === "pending_review" && e.to === "closed"
        ? "reviewed and closed the case"
        : e.from === "pending_review"
          ? `reviewed and sent the case back (${h(CASE_STATUS_LABEL[e.to as CaseStatus] ?? e.to ?? "")})`
          : e.to === "pending_review"
            ? "submitted the case for review"
            : `changed the status from ${h(CASE_STATUS_LABEL[e.from as CaseStatus] ?? e.from ?? "")} to ${h(CASE_STATUS_LABEL[e.to as CaseStatus] ?? e.to ?? "")}`
      : h(REVIEW_WORDS[e.action] ?? e.action);
  return `<section aria-labelledby="review-h"><h2 id="review-h">9. Review</h2>
${
  r.review.entries.length
    ? table(
        ["When (UTC)", "Who", "What"],
        r.review.entries.map((e) => [when(e.at), orNone(e.actor, "a deleted user"), what(e)]),
        "From the case history: status changes (submissions, reviews), exports and legal holds.",
      )
    : ""
}
<h3>Viewed by</h3>
${
  r.review.viewers.length
    ? table(
        ["Who", "Views", "First", "Last"],
        r.review.viewers.map((v) => [h(v.actor), String(v.views), when(v.first), when(v.last)]),
        "From the audit trail: every opening of the case page.",
      )
    : `<p class="muted">Nobody has opened the case page.</p>`
}
</section>`;
}

function verification(r: CaseReport): string {
  const v = r.verification;
  return `<section aria-labelledby="verification-h"><h2 id="verification-h">10. Verification</h2>
<dl class="kv">
  <dt>Signing key</dt><dd>key id ${h(v.keyId)}, SHA-256 fingerprint<br><span class="fp">${h(v.keyFingerprint)}</span></dd>
  <dt>Checkpoint</dt><dd>#${h(v.checkpoint.seq)} (id ${h(v.checkpoint.id)}), signed ${when(v.checkpoint.createdAt)}</dd>
  <dt>Tree size</dt><dd>${v.checkpoint.treeSize.toLocaleString("en")} ledger records</dd>
  <dt>Root hash</dt><dd><span class="fp">${h(v.checkpoint.rootHash)}</span></dd>
  <dt>Trusted time</dt><dd>${h(v.trustedTime)}</dd>
  <dt>Evidence</dt><dd>${plural(v.events, "event")} from ${plural(v.rawRecords, "raw record")}, each with an inclusion proof under this checkpoint</dd>
</dl>
${
  r.packaged
    ? `<p>This report is part of an evidence package anchored to the checkpoint above. Compare the key fingerprint with the one your organisation publishes (obtained out of band, not from this package), then run inside the package folder:</p>
<pre class="mono">${VERIFY_COMMANDS.map(h).join("\n")}</pre>
<p>report.html and report.pdf are covered by SHA256SUMS and its signature like every other file; the facts they summarise are in the package's JSON files and raw records.</p>`
    : `<p class="notice">This report was downloaded on its own: it is not a verifiable package. The checkpoint above covered every raw record of the case when the report was made; download the case's evidence package to check the records, proofs and signatures.</p>`
}
</section>`;
}

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

/** The whole report as one HTML document. */
export function renderReportHtml(r: CaseReport): string {
  const c = r.case;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Case #${c.number}: ${h(c.title)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>Case #${c.number}: ${h(c.title)}</h1>
<p class="muted">Case report generated ${when(r.generatedAt)} by ${h(r.generatedBy)}, by Sessionproof. ${r.packaged ? "Part of the case's evidence package." : "Downloaded on its own (not a verifiable package)."}</p>
</header>
<main>
${[summary(r), scope(r), timeline(r), notes(r), sessions(r), findings(r), governance(r), tasks(r), review(r), verification(r)].join("\n")}
</main>
</body>
</html>
`;
}
