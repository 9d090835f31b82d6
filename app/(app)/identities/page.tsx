import { requirePage } from "@/lib/auth/guard";
import { EmptyState, PageHeader } from "@/components/empty-state";

export const metadata = { title: "Identities" };

export default async function IdentitiesPage() {
  await requirePage("/identities");
  return (
    <>
      <PageHeader title="Identities" description="People and non-human identities across every platform." />
      <EmptyState
        title="Identities is not in this build yet"
        status="Coming next"
        upcoming={[
          "Every person and non-human identity (service accounts, OAuth apps, API tokens, bots, AI agents, workloads) with its kind taken from the platform's own fields.",
          "How one identity was resolved across platforms, with the evidence for each merge.",
          "Owners of non-human identities where the logs say who, and everything each identity did.",
        ]}
      >
        <p>Nothing is shown because identities are resolved from ingested audit logs, and ingestion has not landed in this build. No sample data is shown in its place.</p>
      </EmptyState>
    </>
  );
}
