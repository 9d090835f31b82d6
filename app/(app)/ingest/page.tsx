import { requirePage } from "@/lib/auth/guard";
import { can } from "@/lib/auth/permissions";
import { PageHeader } from "@/components/empty-state";
import { IngestWorkspace } from "./ingest-workspace";

export const metadata = { title: "Ingest" };

export default async function IngestPage() {
  const user = await requirePage("/ingest");
  return (
    <>
      <PageHeader
        title="Ingest"
        description="Bring in audit exports. Every record is kept verbatim in the evidence ledger, or quarantined with its reason: nothing is dropped."
      />
      <IngestWorkspace canWrite={can(user.role, "ingest.write")} />
    </>
  );
}
