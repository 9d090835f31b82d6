import { requirePage } from "@/lib/auth/guard";
import { EmptyState, PageHeader } from "@/components/empty-state";

export const metadata = { title: "Coverage" };

export default async function CoveragePage() {
  await requirePage("/coverage");
  return (
    <>
      <PageHeader title="Coverage" description="Which evidence fields each platform's logs provide, and where the gaps are." />
      <EmptyState
        title="Coverage is not in this build yet"
        status="Coming next"
        upcoming={[
          "Per platform and evidence field (session id, credential id, actor kind, OAuth client, IP, user agent, target object, approval reference, policy decision): the fill rate measured from your data next to what the platform documents.",
          "How many events can be tied to a session, an identity and an approval.",
          "Vendor retention against your required retention, with the date by which data must be exported, and a plain-words recommendation for each gap.",
        ]}
      >
        <p>Coverage is measured from the data you ingest, so there is nothing to measure until ingestion lands in this build.</p>
      </EmptyState>
    </>
  );
}
