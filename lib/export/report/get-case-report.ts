import { recordAudit } from "@/lib/audit/record-audit";
import { recordCaseActivity } from "@/lib/cases/case-activity";
import type { RequestContext } from "@/lib/context/request-context";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { prepareCaseExport } from "../export-case";
import { buildCaseReport } from "./build-case-report";

// GET /api/v1/cases/{id}/report?format=html|pdf: the case report on its own, from the case page. The same report as
// in the evidence package, built over the same prepared export (the case's evidence, a checkpoint signed over it);
// it says that it is not a verifiable package.

export type ReportFormat = "html" | "pdf";

/** The case report as a file of its own, recorded in the case history and the audit trail like an export. */
export async function getCaseReport({
  ctx,
  caseId,
  format,
}: {
  ctx: RequestContext;
  caseId: string;
  format: ReportFormat;
}): Promise<{ body: Buffer; fileName: string; contentType: string }> {
  const prepared = await prepareCaseExport({ caseId });
  const built = await buildCaseReport({ prepared, actor: ctx.actor, packaged: false, pdf: format === "pdf" });
  const body = format === "pdf" ? built.pdf : built.html;
  if (!body) {
    throw new AppError(
      "UNAVAILABLE",
      `The PDF could not be made: ${built.pdfMissing} Meanwhile, download the report as HTML (format=html) and print it from a browser.`,
    );
  }
  const ev = prepared.evidence;
  await db().$transaction(async (tx) => {
    const after = { format, bytes: body.length, treeSize: prepared.checkpoint.treeSize };
    await recordCaseActivity(tx, { ctx, caseId: ev.case.id, action: "report_downloaded", after, audit: false });
    await recordAudit(
      {
        ctx,
        resourceType: "case",
        resourceId: ev.case.id,
        details: { type: "case.report", caseId: ev.case.id, caseNumber: ev.case.number, ...after },
      },
      tx,
    );
  });
  return {
    body,
    fileName: `case-${ev.case.number}-report-${prepared.exportedAt.toISOString().slice(0, 10)}.${format}`,
    contentType: format === "pdf" ? "application/pdf" : "text/html; charset=utf-8",
  };
}
