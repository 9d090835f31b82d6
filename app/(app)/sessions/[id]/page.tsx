import Link from "next/link";
import { VisibleText } from "@/components/visible-text";
import { z } from "zod";
import { requirePage } from "@/lib/auth/guard";
import { can } from "@/lib/auth/permissions";
import { AddToCase } from "@/components/add-to-case";
import { getSession } from "@/lib/sessions/get-session";
import { INITIATOR_RULES, kindLabel, LINK_KINDS, platformLabel } from "@/lib/sessions/words";
import { EmptyState, PageHeader } from "@/components/empty-state";
import { fmtDuration, fmtTime, plural } from "@/components/format";
import { SessionTimeline } from "./session-timeline";
import { recordView } from "@/lib/audit/record-view";
import { listFindings } from "@/lib/risk/list-findings";
import { Time } from "@/components/time";

export const metadata = { title: "Session" };

// Events per timeline page. Each carries its normalized event, raw record and ledger proof to the browser, so the
// page's size and server time grow with it: at 1,000 a 10,000-event session took about 0.9 s to build here (3.7 MB of
// page data), at 250 about 0.2 s (0.9 MB), which keeps first paint under a second (npm run bench -- session-page).
// The four answers are computed over all of the session's events either way.
const EVENTS_PAGE = 250;
const search = z.object({ eventsOffset: z.coerce.number().int().min(0).catch(0).default(0) });

export default async function SessionPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string>>;
}) {
  const user = await requirePage("/sessions/[id]");
  const canWriteCases = can(user.role, "cases.write");
  const { id } = await params;
  const { eventsOffset } = search.parse(await searchParams);
  const s = await getSession({ id, eventsOffset, eventsLimit: EVENTS_PAGE });
  if (!s) {
    // A page, not a 404: a session id from an older correlation run (sessions can be regrouped) deserves a way back.
    return (
      <>
        <PageHeader title="Session not found" />
        <EmptyState title="There is no session with this id">
          <p>
            It may never have existed, or a later correlation run regrouped its events into other sessions. Find it again on the{" "}
            <Link href="/sessions">Sessions</Link> page, by identity, time or action.
          </p>
        </EmptyState>
      </>
    );
  }
  await recordView({ ctx: user.ctx, type: "session", id: s.id });
  const sessionFindings = await listFindings({ session: s.id, limit: 20 });
  const lastShown = s.eventsOffset + s.events.length;
  return (
    <>
      <p className="muted" style={{ margin: "0 0 0.4rem" }}>
        <Link href="/sessions">← Sessions</Link>
      </p>
      <PageHeader
        title={`${platformLabel(s.platform)} session`}
        description={`${fmtTime(s.startedAt)} → ${fmtTime(s.endedAt)} (${fmtDuration(s.startedAt, s.endedAt)}), ${plural(s.eventCount, "event")}`}
        actions={<AddToCase itemType="session" refId={s.id} canWrite={canWriteCases} small={false} />}
      />
      <p className="headline" data-testid="session-headline">
        {s.headline}
      </p>
      <section className="panel" aria-labelledby="answers-h">
        <h2 id="answers-h" style={{ marginTop: 0 }}>
          The four answers
        </h2>
        <dl className="answers" data-testid="answers">
          <div>
            <dt>Who initiated it</dt>
            <dd data-testid="answer-initiator">{s.answers.initiator}</dd>
          </div>
          <div>
            <dt>Which identity or NHI</dt>
            <dd data-testid="answer-identity">
              {s.answers.identity}
              {s.identity ? (
                <>
                  {" "}
                  <Link href={`/identities/${s.identity.id}`}>
                    Open <VisibleText text={s.identity.name} />
                  </Link>
                </>
              ) : null}
            </dd>
          </div>
          <div>
            <dt>What was done</dt>
            <dd data-testid="answer-actions">{s.answers.actions}</dd>
          </div>
          <div>
            <dt>What changed</dt>
            <dd data-testid="answer-objects">{s.answers.objects}</dd>
          </div>
        </dl>
      </section>

      <div className="grid-2" style={{ marginTop: "1rem" }}>
        <section className="panel" aria-labelledby="facts-h">
          <h2 id="facts-h" style={{ marginTop: 0 }}>
            How this session was built
          </h2>
          <dl className="kv">
            <dt>Session key</dt>
            <dd>
              <code>{s.sessionKey}</code>
            </dd>
            <dt>Grouping</dt>
            <dd>
              {s.keyType === "native" ? "the platform's own session key" : "heuristic (no platform key)"}: <code>{s.rule}</code>, confidence{" "}
              {Math.round(s.confidence * 100)}%
            </dd>
            <dt>Identity</dt>
            <dd>
              {s.identity ? (
                <>
                  <VisibleText text={s.identity.name} /> ({kindLabel(s.identity.kind)})
                </>
              ) : (
                "none in the logs"
              )}
            </dd>
            <dt>Initiator</dt>
            <dd>
              {s.initiator ? (
                <>
                  <VisibleText text={s.initiator.name} /> ({kindLabel(s.initiator.kind)})
                </>
              ) : (
                "unknown"
              )}
              {s.initiatorRule ? <span className="muted"> — {INITIATOR_RULES[s.initiatorRule] ?? s.initiatorRule}</span> : null}
            </dd>
            <dt>Source IPs</dt>
            <dd>{s.srcIps.length ? s.srcIps.join(", ") : "—"}</dd>
            <dt>Risk</dt>
            <dd>
              {s.riskLevel ? (
                <span className={`sev sev-${s.riskLevel}`}>
                  {s.riskLevel} ({s.riskScore})
                </span>
              ) : (
                "no open finding"
              )}
              {sessionFindings.items.length > 0 ? (
                <ul className="session-findings" aria-label="Findings citing this session">
                  {sessionFindings.items.map((f) => (
                    <li key={f.id}>
                      <Link href={`/findings/${f.id}`}>{f.title}</Link>{" "}
                      <span className="muted">
                        ({f.severity}, {f.status})
                      </span>
                    </li>
                  ))}
                </ul>
              ) : null}
            </dd>
          </dl>
        </section>
        <section className="panel" aria-labelledby="cred-h">
          <h2 id="cred-h" style={{ marginTop: 0 }}>
            Credential and its lineage
          </h2>
          {s.credentialChain.length === 0 ? (
            <p className="muted">No credential is recorded for this session&apos;s events.</p>
          ) : (
            <>
              <ol className="chain" aria-label="Credential chain, from the root to this session's credential">
                {[...s.credentialChain].reverse().map((c, i, all) => (
                  <li key={c.id}>
                    <span className="cred">
                      <strong>{c.kind.replace(/_/g, " ")}</strong> <code>{c.externalId}</code>
                      {i === all.length - 1 ? <span className="muted"> (this session)</span> : null}
                    </span>
                    {i < all.length - 1 ? (
                      <span className="arrow" title={`rule: ${all[i + 1].parentRule ?? "?"}`}>
                        → {all[i + 1].parentRule}
                      </span>
                    ) : null}
                  </li>
                ))}
              </ol>
              <p style={{ marginBottom: 0 }}>
                <Link href={`/lineage?credentialId=${s.credentialChain[0].id}`}>Open the lineage graph of this credential</Link>
              </p>
            </>
          )}
        </section>
      </div>

      <section className="panel" aria-labelledby="links-h" style={{ marginTop: "1rem" }}>
        <h2 id="links-h" style={{ marginTop: 0 }}>
          Linked sessions
        </h2>
        {s.links.length === 0 ? (
          <p className="muted">
            No link to another session is proven. Links are made only from a shared session key, an identity provider&apos;s sign-in event
            or a credential minted in one session and used in another.
          </p>
        ) : (
          <table className="data">
            <caption className="visually-hidden">Linked sessions with the rule, matched fields and confidence of each link</caption>
            <thead>
              <tr>
                <th scope="col">Session</th>
                <th scope="col">Direction</th>
                <th scope="col">Kind and rule</th>
                <th scope="col">Matched fields</th>
                <th scope="col">Confidence</th>
              </tr>
            </thead>
            <tbody>
              {s.links.map((l) => (
                <tr key={`${l.session.id}-${l.kind}-${l.direction}`} data-testid="link-row">
                  <td>
                    <Link href={`/sessions/${l.session.id}`}>
                      {platformLabel(l.session.platform)} · {l.session.identity?.name ?? "no actor"} · <Time iso={l.session.startedAt} />
                    </Link>
                  </td>
                  <td>{l.direction === "incoming" ? "led to this session" : "this session led to it"}</td>
                  <td>
                    <span title={LINK_KINDS[l.kind]}>{LINK_KINDS[l.kind] ?? l.kind}</span>
                    <div>
                      <code>{l.rule}</code>
                    </div>
                  </td>
                  <td>
                    {Object.entries(l.matchedFields).map(([k, v]) => (
                      <div key={k}>
                        <span className="muted">{k}:</span> <code>{String(v)}</code>
                      </div>
                    ))}
                  </td>
                  <td>{Math.round(l.confidence * 100)}%</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section className="panel" aria-labelledby="tl-h" style={{ marginTop: "1rem" }}>
        <h2 id="tl-h" style={{ marginTop: 0 }}>
          Timeline and evidence
        </h2>
        {s.eventCount > s.events.length ? (
          <p className="muted">
            Showing events {(s.eventsOffset + 1).toLocaleString()}–{lastShown.toLocaleString()} of {s.eventCount.toLocaleString()}.{" "}
            {s.eventsOffset > 0 ? <Link href={`?eventsOffset=${Math.max(0, s.eventsOffset - EVENTS_PAGE)}`}>Earlier events</Link> : null}{" "}
            {lastShown < s.eventCount ? <Link href={`?eventsOffset=${lastShown}`}>Later events</Link> : null}
          </p>
        ) : null}
        <SessionTimeline
          key={s.eventsOffset}
          platform={s.platform}
          events={s.events}
          linkedEvents={s.linkedEvents}
          linkedTruncated={s.linkedEventsTruncated}
          links={s.links.map((l) => ({
            id: l.session.id,
            platform: l.session.platform,
            label: `${l.session.identity?.name ?? "no actor"}, ${l.kind}`,
          }))}
          canWriteCases={canWriteCases}
        />
      </section>
    </>
  );
}
