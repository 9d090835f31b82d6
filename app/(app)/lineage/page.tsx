import { requirePage } from "@/lib/auth/guard";
import { EmptyState, PageHeader } from "@/components/empty-state";

export const metadata = { title: "Lineage" };

export default async function LineagePage() {
  await requirePage("/lineage");
  return (
    <>
      <PageHeader title="Lineage" description="Where each token came from: grants, refreshes, delegation and role chains." />
      <EmptyState
        title="Lineage is not in this build yet"
        status="Coming next"
        upcoming={[
          "An interactive graph from any credential or identity: grant, token, refresh, delegation, sessions, actions.",
          "Only edges the logs prove, such as AssumeRole chains, OAuth app to token, IdP session to app session and JIT activation to elevated session.",
          "Filters, focus on one path, and click-through to the sessions.",
        ]}
      >
        <p>The lineage graph needs credentials and sessions reconstructed from ingested logs, which this build cannot do yet.</p>
      </EmptyState>
    </>
  );
}
