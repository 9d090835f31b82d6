import { CONTROL_STATUSES, CONTROL_STATUS_LABEL, getFrameworkStatus, type FrameworkStatus } from "./get-framework-status";
import type { FrameworkSlug } from "./catalogs";
import type { ReportFormat } from "./build-framework-report.types";
import { csvCell } from "@/lib/audit/csv-cell";
import { CROSSWALK_RULE, isCrosswalk } from "./crosswalk";
import { ALL_DATA, periodParams, type AuditPeriod } from "./audit-period.types";

// The downloadable framework evidence report: CSV (one row per control) or a self-contained printable HTML page.

export { REPORT_FORMATS, type ReportFormat } from "./build-framework-report.types";
export type FrameworkReport = { body: string; contentType: string; fileName: string };

const CSV_HEADER = [
  "framework",
  "function",
  "category",
  "control_id",
  "control_title",
  "status",
  "open_findings",
  "evidence",
  "control_text",
  "attribution",
  "audit_period",
  "data_covered",
  "analysis",
  "generated_by",
  "generated_at",
  "notice",
] as const;

/** What every report says about itself: it is evidence for an assessor, not a verdict on compliance. */
export const REPORT_NOTICE =
  "Evidence for an assessment, not a compliance opinion: statuses are measured from the data Sessionproof holds against configured thresholds.";

function attributionOf(st: FrameworkStatus): string {
  return st.meta.attribution ?? `${st.meta.name}: NIST work, public domain.`;
}

/** "1,204 events from 3 platform(s), 2025-01-02T… to 2025-03-30T…" (the events in the period). */
function dataCovered(st: FrameworkStatus): string {
  const s = st.scope;
  return `${s.events.toLocaleString("en-US")} events from ${s.platforms} platform(s) in the period${s.firstEventTime ? `, ${s.firstEventTime} to ${s.lastEventTime ?? ""}` : ""}`;
}

function frameworkCsv(st: FrameworkStatus, analysis: string, generatedBy: string): string {
  const attribution = attributionOf(st);
  const rows = st.controls.map((c) =>
    [
      st.meta.shortName,
      `${c.groupId} ${c.groupTitle}`,
      `${c.categoryId} ${c.categoryTitle}`,
      c.id,
      c.title ?? "",
      CONTROL_STATUS_LABEL[c.status],
      c.openFindings,
      [
        ...(c.scoping
          ? [`Not applicable: ${c.scoping.reason} (scoped out by ${c.scoping.scopedBy ?? "unknown"} ${c.scoping.scopedAt})`]
          : []),
        ...c.evidence.map((e) => `${e.label}: ${e.value} (${e.reason})`),
      ].join(" | "),
      c.text,
      attribution,
      st.period.label,
      dataCovered(st),
      analysis,
      generatedBy,
      st.generatedAt,
      REPORT_NOTICE,
    ]
      .map(csvCell)
      .join(","),
  );
  return [CSV_HEADER.join(","), ...rows].join("\r\n") + "\r\n";
}

const esc = (s: string) => s.replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]!);

const PRINT_CSS = `
  body { font: 11pt/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; color: #111; margin: 2rem; }
  header { border-bottom: 2px solid #111; margin-bottom: 1rem; }
  h1 { font-size: 18pt; margin: 0 0 .25rem; }
  h2 { font-size: 14pt; margin: 1.5rem 0 .5rem; }
  h3 { font-size: 12pt; margin: 1rem 0 .25rem; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: .5rem 0; }
  dt { font-weight: 600; }
  dd { margin: 0; }
  table { border-collapse: collapse; width: 100%; margin-bottom: .75rem; }
  th, td { border: 1px solid #999; padding: .25rem .4rem; text-align: left; vertical-align: top; font-size: 9.5pt; }
  thead th { background: #e8e8e8; }
  .status-sufficient { color: #1d5c2e; font-weight: 600; }
  .status-partial { color: #7a4300; font-weight: 600; }
  .status-gap { color: #8a1c1c; font-weight: 600; }
  .status-no_data, .status-not_applicable { color: #555; }
  .attribution { border: 1px solid #999; padding: .5rem; font-size: 9pt; }
  ul { margin: 0; padding-left: 1.1rem; }
  @page { size: A4; margin: 15mm; }
  @media print {
    body { margin: 0; }
    section.group { break-before: page; }
    section.group:first-of-type { break-before: auto; }
    tr, .attribution { break-inside: avoid; }
    thead { display: table-header-group; }
    a { color: inherit; text-decoration: none; }
  }`;

function frameworkHtml(st: FrameworkStatus, analysis: string, generatedBy: string): string {
  const s = st.summary;
  const byGroup = new Map<string, FrameworkStatus["controls"]>();
  for (const c of st.controls) byGroup.set(c.groupId, [...(byGroup.get(c.groupId) ?? []), c]);
  const groups = [...byGroup.values()].map((controls) => {
    const first = controls[0];
    const rows = controls
      .map(
        (c) => `<tr>
  <td>${esc(c.id)}</td>
  <td>${c.title ? `<strong>${esc(c.title)}</strong><br>` : ""}${esc(c.text)}</td>
  <td class="status-${c.status}">${esc(CONTROL_STATUS_LABEL[c.status])}${c.scoping ? `<br><em>${esc(c.scoping.reason)}</em>` : ""}</td>
  <td>${c.evidence.length === 0 ? "No evidence source mapped" : `<ul>${c.evidence.map((e) => `<li>${esc(e.label)}: ${esc(e.value)}<br><em>${esc(e.reason)}</em></li>`).join("")}</ul>`}</td>
</tr>`,
      )
      .join("\n");
    return `<section class="group">
<h2>${esc(first.groupId)}${first.groupTitle !== first.groupId ? ` ${esc(first.groupTitle)}` : ""}</h2>
<table>
<thead><tr><th scope="col">Control</th><th scope="col">Text</th><th scope="col">Status</th><th scope="col">Evidence and why it applies</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
</section>`;
  });
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${esc(st.meta.shortName)} evidence report</title>
<style>${PRINT_CSS}</style>
</head>
<body>
<header>
<h1>${esc(st.meta.name)}: evidence report</h1>
<dl>
  <dt>Generated</dt><dd>${esc(st.generatedAt)}</dd>
  <dt>Generated by</dt><dd>${esc(generatedBy)}</dd>
  <dt>Audit period</dt><dd data-testid="report-period">${esc(st.period.label)}</dd>
  <dt>Data covered</dt><dd>${esc(dataCovered(st))}</dd>
  <dt>Analysis</dt><dd>${esc(analysis)}</dd>
  <dt>Controls</dt><dd>${s.total}: ${CONTROL_STATUSES.map((k) => `${s[k]} ${esc(CONTROL_STATUS_LABEL[k].toLowerCase())}`).join(", ")}</dd>
  <dt>Catalog source</dt><dd>${esc(st.meta.source)}</dd>
</dl>
<p class="attribution"><strong>${esc(REPORT_NOTICE)}</strong></p>
${st.meta.attribution ? `<p class="attribution">${esc(st.meta.attribution)}</p>` : ""}
</header>
<main>
${groups.join("\n")}
</main>
<footer><p class="attribution">${esc(attributionOf(st))} ${isCrosswalk(st.framework) ? `${esc(CROSSWALK_RULE)} Each mapped subcategory's own status follows the rule below. ` : ""}Status: "sufficient evidence" only when every measured population mapped to the control meets its threshold (at least ${st.thresholds.minPopulation} rows) and no finding is open; "partial" when some evidence falls short; "gap" when none meets its condition; "no data" when nothing mapped has been measured; "not applicable" when scoped out by a compliance user, with the reason shown.</p></footer>
</body>
</html>
`;
}

export async function buildFrameworkReport({
  framework,
  format,
  now = new Date(),
  period = ALL_DATA,
  analysis,
  generatedBy,
}: {
  framework: FrameworkSlug;
  format: ReportFormat;
  now?: Date;
  /** The audit period the populations are taken over (default: all data held). */
  period?: AuditPeriod;
  /** Who asked for the report (the signed-in user's email), stated in it. */
  generatedBy: string;
  /** Which analysis run the statuses come from, in words (lib/analysis/analysis-status.ts describeAnalysisStatus). */
  analysis: string;
}): Promise<FrameworkReport> {
  const st = await getFrameworkStatus({ framework, now, period });
  const p = periodParams(period);
  const day = `${st.generatedAt.slice(0, 10)}${p.from || p.to ? `-period-${p.from ?? "start"}-to-${p.to ?? "now"}` : ""}`;
  return format === "csv"
    ? {
        body: frameworkCsv(st, analysis, generatedBy),
        contentType: "text/csv; charset=utf-8",
        fileName: `${framework}-evidence-${day}.csv`,
      }
    : {
        body: frameworkHtml(st, analysis, generatedBy),
        contentType: "text/html; charset=utf-8",
        fileName: `${framework}-evidence-${day}.html`,
      };
}
