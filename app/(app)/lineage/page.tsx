import { requirePage } from "@/lib/auth/guard";
import { can } from "@/lib/auth/permissions";
import { getSessionFacets } from "@/lib/sessions/get-session-facets";
import { EmptyState, PageHeader } from "@/components/empty-state";
import { LineageExplorer } from "./lineage-explorer";

export const metadata = { title: "Lineage" };

export default async function LineagePage() {
  const user = await requirePage("/lineage");
  const facets = await getSessionFacets();
  return (
    <>
      <PageHeader
        title="Lineage"
        description="Where each credential came from and where it went: grants, tokens, refreshes, delegation and role chains, down to the sessions that used them. Only edges the logs prove."
      />
      {facets.sessions === 0 ? (
        <EmptyState title="No lineage to draw yet">
          <p>
            The graph is built from credentials and sessions that the correlation reconstructs from ingested logs, and there are none yet.{" "}
            {facets.events === 0
              ? "Ingest audit exports on the Ingest page, then run the correlation from the Sessions page."
              : "Events are stored: run the correlation from the Sessions page."}
          </p>
        </EmptyState>
      ) : (
        <LineageExplorer canWriteCases={can(user.role, "cases.write")} />
      )}
    </>
  );
}
