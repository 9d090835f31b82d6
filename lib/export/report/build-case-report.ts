import type { Actor } from "@/lib/context/request-context";
import { checkpointToJson } from "@/lib/ledger/checkpoint-row";
import { describeTimestamp } from "../checkpoint-timestamp";
import type { PreparedExport } from "../export-case";
import { collectCaseReport } from "./collect-report";
import { printPdf, PdfUnavailableError } from "./print-pdf";
import { renderReportHtml } from "./render-report";

// The case report, built once per evidence export (report.html and report.pdf in the package: export-case.ts) or on
// its own for the case page's download (GET /api/v1/cases/{id}/report?format=html|pdf). Both read the same prepared
// export (the case's evidence and a checkpoint signed over it), so the report states the checkpoint its records are
// under either way.

export type BuiltReport = {
  html: Buffer;
  /** Null when Chromium could not print it; `pdfMissing` says why. */
  pdf: Buffer | null;
  pdfMissing: string | null;
};

/** Who the report names as its maker: the user's email, or the audit trail's name for a CLI user, token or the system. */
export function reportAuthor(actor: Actor): string {
  return actor.email ?? actor.id ?? actor.kind;
}

/** report.html and, unless `pdf` is false, report.pdf. A PDF that cannot be made leaves `pdf` null and says why. */
export async function buildCaseReport({
  prepared,
  actor,
  packaged,
  pdf = true,
}: {
  prepared: PreparedExport;
  actor: Actor;
  packaged: boolean;
  pdf?: boolean;
}): Promise<BuiltReport> {
  const report = await collectCaseReport({
    evidence: prepared.evidence,
    checkpoint: checkpointToJson(prepared.checkpoint),
    generatedAt: prepared.exportedAt,
    generatedBy: reportAuthor(actor),
    packaged,
    trustedTime: describeTimestamp(prepared.timestamp),
  });
  const html = renderReportHtml(report);
  if (!pdf) return { html: Buffer.from(html, "utf8"), pdf: null, pdfMissing: "not requested" };
  try {
    return { html: Buffer.from(html, "utf8"), pdf: await printPdf(html), pdfMissing: null };
  } catch (err) {
    if (!(err instanceof PdfUnavailableError)) throw err;
    return { html: Buffer.from(html, "utf8"), pdf: null, pdfMissing: err.message };
  }
}
