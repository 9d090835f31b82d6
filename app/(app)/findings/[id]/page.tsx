import Link from "next/link";
import { VisibleText } from "@/components/visible-text";
import { requirePage } from "@/lib/auth/guard";
import { can } from "@/lib/auth/permissions";
import { riskRule } from "@/lib/risk/catalog";
import { getFinding } from "@/lib/risk/get-finding";
import { EmptyState, PageHeader } from "@/components/empty-state";
import { AddToCase } from "@/components/add-to-case";
import { fmtTime } from "@/components/format";
import { ApproveRiskForm, FindingStatusForm } from "./finding-status-form";
import { DISPOSITION_LABEL } from "@/lib/risk/disposition";
import { evidenceFields } from "@/lib/risk/evidence-fields";
import { platformLabel } from "@/lib/sessions/words";
import { Time } from "@/components/time";

export const metadata = { title: "Finding" };

const FRAMEWORK: Record<string, string> = {
  "nist-csf-2.0": "NIST CSF 2.0",
  "owasp-nhi-2025": "OWASP NHI Top 10 (2025)",
  "nist-ai-rmf-1.0": "NIST AI RMF 1.0",
};
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

// One finding: what the rule checks, the facts it cites, the events that prove it, the controls it maps to,
// and its history; analysts and admins can dismiss or reopen it with a reason.
export default async function FindingPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requirePage("/findings/[id]");
  const { id } = await params;
  const f = await getFinding({ id });
  if (!f) {
    // A page, not a bare 404: a link from a case or a message deserves a way back.
    return (
      <>
        <PageHeader title="Finding not found" />
        <EmptyState title="There is no finding with this id">
          <p>
            The link may be mistyped or point to another installation. Find the finding again on the <Link href="/findings">Findings</Link>{" "}
            page, by rule, severity or status.
          </p>
        </EmptyState>
      </>
    );
  }
  const rule = riskRule(f.ruleId);
  const mayDismiss = can(user.role, "findings.dismiss");
  // A risk acceptance is approved by someone other than the person who made it (the API refuses them too).
  const mayApprove = can(user.role, "findings.approve") && f.disposition === "pending_approval" && f.dismissedBy !== user.email;
  const facts = evidenceFields(f.evidence, ["resolvedAt"]);

  return (
    <>
      <PageHeader
        title={f.title}
        description={rule?.description}
        actions={
          <AddToCase
            itemType="finding"
            refId={f.id}
            snapshot={{ title: f.title, ruleId: f.ruleId, severity: f.severity, evidence: f.evidence }}
            canWrite={can(user.role, "cases.write")}
          />
        }
      />
      <p>
        <Link href="/findings">← All findings</Link>
      </p>
      <section className="panel" aria-labelledby="finding-facts-h">
        <h2 id="finding-facts-h">What was found</h2>
        <dl className="kv">
          <dt>Severity</dt>
          <dd>
            <span className={`sev sev-${f.severity}`}>{cap(f.severity)}</span>
          </dd>
          <dt>Rule</dt>
          <dd>
            {f.ruleTitle} <code>{f.ruleId}</code>
          </dd>
          <dt>Status</dt>
          <dd data-testid="finding-status">
            {DISPOSITION_LABEL[f.disposition]}
            {f.riskExpiresAt ? `, expires ${fmtTime(f.riskExpiresAt)}` : ""}
            {f.dismissedReason ? ` (${f.dismissedReason})` : ""}
            {f.dismissedBy ? `; dismissed by ${f.dismissedBy}` : ""}
            {f.riskApprovedBy ? `; approved by ${f.riskApprovedBy}` : ""}
            {f.status === "dismissed" && f.dismissedEventIds.length > 0
              ? `; covers ${f.dismissedEventIds.length} of ${f.eventCount} occurrence(s), a new occurrence reopens it`
              : ""}
            {f.resolvedAt ? ` — the condition no longer holds in the data since ${fmtTime(f.resolvedAt)}` : ""}
          </dd>
          <dt>Subject</dt>
          <dd>
            {f.identity ? (
              <Link href={`/identities/${f.identity.id}`}>
                <VisibleText text={f.identity.name} />
              </Link>
            ) : (
              "—"
            )}
          </dd>
          <dt>Session</dt>
          <dd>{f.sessionId ? <Link href={`/sessions/${f.sessionId}`}>Open the session</Link> : "—"}</dd>
          <dt>First seen</dt>
          <dd>
            <Time iso={f.firstSeenAt} />
          </dd>
          <dt>Last seen</dt>
          <dd>
            <Time iso={f.lastSeenAt} />
          </dd>
          {facts.map((x) => (
            <div key={x.key} style={{ display: "contents" }} data-testid="evidence-field">
              <dt>{x.label}</dt>
              <dd>{x.value}</dd>
            </div>
          ))}
        </dl>
      </section>
      <section className="panel" aria-labelledby="finding-events-h">
        <h2 id="finding-events-h">Proving events ({f.events.length})</h2>
        {f.events.length === 0 ? (
          <p className="muted">This rule cites records rather than events (for example an identity&apos;s status); see the facts above.</p>
        ) : (
          <table className="data" data-testid="finding-events">
            <caption className="visually-hidden">The events that prove this finding, oldest first</caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Platform</th>
                <th scope="col">Activity</th>
                <th scope="col">Actor</th>
                <th scope="col">Source IP</th>
                <th scope="col">Target</th>
                <th scope="col">Session</th>
              </tr>
            </thead>
            <tbody>
              {f.events.map((e) => (
                <tr key={e.id}>
                  <td>
                    <Time iso={e.time} />
                  </td>
                  <td>{platformLabel(e.platform)}</td>
                  <td>
                    {e.eventName ?? e.activity}
                    {e.eventName && e.eventName !== e.activity ? <div className="muted">{e.activity}</div> : null}
                    {e.privileged ? <span className="badge"> privileged</span> : null}
                    {e.status === "failure" ? <span className="muted"> (failed)</span> : null}
                  </td>
                  <td>{e.actorName ? <VisibleText text={e.actorName} /> : "—"}</td>
                  <td>{e.srcIp ?? "—"}</td>
                  <td>{e.targetName ? <VisibleText text={e.targetName} /> : "—"}</td>
                  <td>{e.sessionId ? <Link href={`/sessions/${e.sessionId}`}>Open</Link> : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section className="panel" aria-labelledby="finding-controls-h">
        <h2 id="finding-controls-h">Controls</h2>
        <ul>
          {(rule?.controls ?? []).map((c) => (
            <li key={`${c.framework}:${c.id}`}>
              <strong>{FRAMEWORK[c.framework]}</strong> {c.id}: {c.reason}
            </li>
          ))}
        </ul>
      </section>
      <section className="panel" aria-labelledby="finding-history-h">
        <h2 id="finding-history-h">History</h2>
        <ol className="finding-history" data-testid="finding-history">
          {f.history.map((h, i) => (
            <li key={i}>
              <Time iso={h.at} /> — <strong>{cap(h.action)}</strong>
              {h.actorEmail ? ` by ${h.actorEmail}` : " by the rules"}
              {h.reason ? `: ${h.reason}` : ""}
            </li>
          ))}
        </ol>
        {mayApprove ? <ApproveRiskForm id={f.id} /> : null}
        {mayDismiss ? <FindingStatusForm id={f.id} status={f.status} /> : null}
      </section>
    </>
  );
}
