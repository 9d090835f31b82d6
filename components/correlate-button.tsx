"use client";

import { runCorrelation } from "@/components/api/correlation";
import { sessionsKeys } from "@/components/api/sessions";
import { useApiMutation } from "@/components/api/mutation";
import { plural } from "@/components/format";

// "Correlate now": runs the correlation over everything ingested (POST /api/v1/correlation), says what it built,
// and refreshes the page's server data. Shown only to roles that hold ingest.write (the permission POST /api/v1/correlation checks).
export function CorrelateButton({ label = "Correlate now", small = false }: { label?: string; small?: boolean }) {
  // New sessions: cached pages of the sessions list are stale too.
  const run = useApiMutation({ mutationFn: runCorrelation, invalidates: [sessionsKeys.all], refresh: true });
  return (
    <div className="correlate">
      <button
        type="button"
        className={`btn${small ? " btn-small btn-secondary" : ""}`}
        onClick={() => run.mutate()}
        disabled={run.isPending}
      >
        {run.isPending ? "Correlating…" : label}
      </button>
      <div role="status" aria-live="polite" className="correlate-status">
        {run.data
          ? `Correlated ${plural(run.data.events, "event")}: ${plural(run.data.sessions, "session")}, ` +
            `${plural(run.data.identities, "identity", "identities")}, ${plural(run.data.credentials, "credential")}, ` +
            `${plural(run.data.links, "link")} (${run.data.durationMs.toLocaleString()} ms).`
          : null}
      </div>
      {run.error ? (
        <div className="alert alert-error" role="alert">
          {run.errorMessage}
        </div>
      ) : null}
    </div>
  );
}
