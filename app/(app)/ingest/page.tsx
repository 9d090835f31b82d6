import { requirePage } from "@/lib/auth/guard";
import { EmptyState, PageHeader } from "@/components/empty-state";

export const metadata = { title: "Ingest" };

export default async function IngestPage() {
  await requirePage("/ingest");
  return (
    <>
      <PageHeader title="Ingest" description="Bring in audit exports: upload files, use the command line, or push over HTTP." />
      <EmptyState
        title="Ingest is not in this build yet"
        status="Coming next"
        upcoming={[
          "Drag-and-drop upload of several files at once, with a progress bar per file and a result per batch: read, stored, duplicate, quarantined.",
          "Format detection for each platform's real export shapes (JSON arrays, NDJSON, API page envelopes, CSV, .gz).",
          "Quarantined records with their reasons, downloadable and re-processable.",
        ]}
      >
        <p>Ingestion is not in this build yet. Nothing can be uploaded from this page until the evidence ledger and the source parsers land.</p>
      </EmptyState>
    </>
  );
}
