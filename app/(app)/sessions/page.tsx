import { requirePage } from "@/lib/auth/guard";
import { EmptyState, PageHeader } from "@/components/empty-state";

export const metadata = { title: "Sessions" };

export default async function SessionsPage() {
  await requirePage("/sessions");
  return (
    <>
      <PageHeader title="Sessions" description="Each SaaS session reconstructed as an auditable transaction." />
      <EmptyState title="Session reconstruction is not in this build yet" status="Coming next">
        <p>
          No sessions are shown because this build cannot ingest or correlate audit logs yet. Nothing here is
          sample data: when the correlation engine lands, every session listed will come from logs you ingested.
        </p>
      </EmptyState>
      <div style={{ height: "1rem" }} />
      <EmptyState
        title="What you will be able to do here"
        upcoming={[
          "Browse every session across Okta, Entra ID, Microsoft 365, Google Workspace, GitHub, Slack, Salesforce, AWS CloudTrail, Snowflake and Atlassian.",
          "Read the four answers for each session: who initiated it, which identity or NHI was used, what was done, what business object changed.",
          "Filter by time range, platform, identity kind, identity, risk and free text; sort; share the view as a link.",
          "Open a session's timeline with one swimlane per platform and the linked sessions drawn on it.",
        ]}
      >
        <p>Sessions are built from the platforms&apos; own session keys first, and from documented heuristics only where no key exists.</p>
      </EmptyState>
    </>
  );
}
