import Link from "next/link";
import { requirePage } from "@/lib/auth/guard";
import { can } from "@/lib/auth/permissions";
import { getSessionFacets } from "@/lib/sessions/get-session-facets";
import { CorrelateButton } from "@/components/correlate-button";
import { EmptyState, PageHeader } from "@/components/empty-state";
import { SessionsWorkspace } from "./sessions-workspace";

export const metadata = { title: "Sessions" };

export default async function SessionsPage() {
  const user = await requirePage("/sessions");
  const facets = await getSessionFacets();
  const mayCorrelate = can(user.role, "ingest.write");
  const mayIngest = can(user.role, "ingest.write");
  return (
    <>
      <PageHeader
        title="Sessions"
        description="Each session reconstructed from the platforms' own session keys (or a documented heuristic), with who initiated it, as whom, what was done and what changed."
        actions={mayCorrelate && facets.events > 0 ? <CorrelateButton small label="Re-run correlation" /> : null}
      />
      {facets.sessions > 0 ? (
        <SessionsWorkspace platforms={facets.platforms} kinds={facets.kinds} riskLevels={facets.riskLevels} />
      ) : facets.events === 0 ? (
        <EmptyState title="No sessions yet: nothing has been ingested">
          <p>
            Sessions are rebuilt from ingested audit logs, and none are stored yet.{" "}
            {mayIngest ? (
              <>
                Upload exports on the <Link href="/ingest">Ingest page</Link> (or run <code>npm run cli -- ingest &lt;files&gt;</code>); the
                correlation then runs on its own, or from the “Correlate now” button here.
              </>
            ) : (
              <>Ask an analyst or an administrator to ingest audit exports and run the correlation. Nothing here is sample data.</>
            )}
          </p>
        </EmptyState>
      ) : (
        <EmptyState title="Events are stored, but no sessions are built yet" action={mayCorrelate ? <CorrelateButton /> : null}>
          <p>
            {facets.events.toLocaleString()} normalized events are stored and the correlation has not turned them into sessions yet.{" "}
            {mayCorrelate
              ? "Run it now: it groups events into sessions, resolves identities across platforms and links related sessions."
              : "An analyst or an administrator can run the correlation."}
          </p>
        </EmptyState>
      )}
    </>
  );
}
