import { listHolds } from "@/lib/retention/list-holds";
import { PlaceHoldForm, ReleaseHoldButton } from "@/components/legal-hold-actions";
import { Time } from "./time";

// The case page's legal-hold panel (server component): whether the case's evidence is under a hold, why, by whom,
// how many raw records it keeps from the purge, and its past holds. Admins place or release with a reason.
export async function LegalHoldPanel({ caseId, canManage }: { caseId: string; canManage: boolean }) {
  const holds = await listHolds({ caseId });
  const active = holds.find((h) => h.active);
  const past = holds.filter((h) => !h.active);
  return (
    <section className="panel" aria-labelledby="hold-h" data-testid="legal-hold-panel">
      <h2 id="hold-h">Legal hold</h2>
      {active ? (
        <div className="alert alert-info">
          <p style={{ margin: 0 }}>
            <strong>Under legal hold</strong> since <Time iso={active.placedAt} />
            {active.placedBy ? ` (placed by ${active.placedBy})` : ""}: {active.reason}
          </p>
          <p style={{ margin: "0.3rem 0 0" }}>
            {(active.heldRecords ?? 0).toLocaleString("en")} raw records cited by this case&apos;s evidence are kept from every retention
            purge.
          </p>
          {canManage ? <ReleaseHoldButton holdId={active.id} label={active.scopeLabel} /> : null}
        </div>
      ) : (
        <>
          <p className="muted">
            Not under a legal hold: the raw records this case cites are purged when their source&apos;s retention runs out.
            {canManage ? " Place a hold to keep them." : " An administrator can place a hold."}
          </p>
          {canManage ? <PlaceHoldForm caseId={caseId} /> : null}
        </>
      )}
      {past.length > 0 ? (
        <details>
          <summary>Earlier holds ({past.length})</summary>
          <ul>
            {past.map((h) => (
              <li key={h.id}>
                <Time iso={h.placedAt} /> – <Time iso={h.releasedAt} />: {h.reason} (released{h.releasedBy ? ` by ${h.releasedBy}` : ""}:{" "}
                {h.releaseReason})
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </section>
  );
}
