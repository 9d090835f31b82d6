import { requirePage } from "@/lib/auth/guard";
import { EmptyState, PageHeader } from "@/components/empty-state";

export const metadata = { title: "Cases" };

export default async function CasesPage() {
  await requirePage("/cases");
  return (
    <>
      <PageHeader title="Cases" description="Investigations with their evidence, notes, tasks, holds and verifiable exports." />
      <EmptyState
        title="Cases is not in this build yet"
        status="Coming next"
        upcoming={[
          "Cases with status, severity, assignee, tags, tasks, markdown notes and every change recorded.",
          "Evidence items (sessions, events, identities, findings, lineage snapshots) with annotations, on one timeline with the case activity.",
          "Legal holds, and signed evidence packages that verify with sha256sum, openssl and a bundled verify.mjs.",
        ]}
      >
        <p>Case management is not in this build yet. When it lands, analysts will build cases from sessions, identities, findings and lineage, and auditors will download evidence they can verify offline.</p>
      </EmptyState>
    </>
  );
}
