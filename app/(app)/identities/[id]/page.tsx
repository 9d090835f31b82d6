import Link from "next/link";
import { VisibleText } from "@/components/visible-text";
import { markInvisible } from "@/lib/events/invisible";
import { requirePage } from "@/lib/auth/guard";
import { can } from "@/lib/auth/permissions";
import { AddToCase } from "@/components/add-to-case";
import { getIdentity } from "@/lib/sessions/get-identity";
import { kindLabel, platformLabel } from "@/lib/sessions/words";
import { EmptyState, PageHeader } from "@/components/empty-state";
import { fmtDuration, fmtTime, plural } from "@/components/format";
import { recordView } from "@/lib/audit/record-view";
import { Time } from "@/components/time";

export const metadata = { title: "Identity" };

/** Why an alias was merged into this identity, in words. */
const MERGE_RULES: Record<string, string> = {
  first_seen: "the account this identity was founded on",
  same_email: "shares an email address with another account of this identity",
  same_platform_login: "has the same login on the same platform",
  transitive: "merged through another alias of this identity",
};

export default async function IdentityPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requirePage("/identities/[id]");
  const { id } = await params;
  const i = await getIdentity({ id });
  if (!i) {
    return (
      <>
        <PageHeader title="Identity not found" />
        <EmptyState title="There is no identity with this id">
          <p>
            A later correlation run may have merged it into another identity. Find it again on the{" "}
            <Link href="/identities">Identities</Link> page.
          </p>
        </EmptyState>
      </>
    );
  }
  await recordView({ ctx: user.ctx, type: "identity", id: i.id });
  const parents = new Map(i.credentials.map((c) => [c.id, c]));
  return (
    <>
      <p className="muted" style={{ margin: "0 0 0.4rem" }}>
        <Link href="/identities">← Identities</Link>
      </p>
      <PageHeader
        title={markInvisible(i.displayName)}
        description={`${kindLabel(i.kind)}${i.primaryEmail ? ` · ${i.primaryEmail}` : ""} · seen ${fmtTime(i.firstSeenAt)} → ${fmtTime(i.lastSeenAt)}`}
        actions={
          <div style={{ display: "flex", gap: "0.5rem" }}>
            <Link className="btn btn-secondary" href={`/sessions?identityId=${i.id}&identityName=${encodeURIComponent(i.displayName)}`}>
              Sessions
            </Link>
            <Link className="btn btn-secondary" href={`/lineage?identityId=${i.id}`}>
              Lineage graph
            </Link>
            <AddToCase itemType="identity" refId={i.id} canWrite={can(user.role, "cases.write")} small={false} />
          </div>
        }
      />
      {i.owner || i.owned.length ? (
        <section className="panel" aria-labelledby="owner-h" style={{ marginBottom: "1rem" }}>
          <h2 id="owner-h" style={{ marginTop: 0 }}>
            Ownership
          </h2>
          {i.owner ? (
            <p>
              Owned by{" "}
              <Link href={`/identities/${i.owner.id}`}>
                <VisibleText text={i.owner.name} />
              </Link>{" "}
              ({kindLabel(i.owner.kind)}).
            </p>
          ) : null}
          {i.owned.length ? (
            <p>
              Owns:{" "}
              {i.owned.map((o, n) => (
                <span key={o.id}>
                  {n ? ", " : ""}
                  <Link href={`/identities/${o.id}`}>
                    <VisibleText text={o.name} />
                  </Link>{" "}
                  ({kindLabel(o.kind)})
                </span>
              ))}
            </p>
          ) : null}
        </section>
      ) : null}

      <section className="panel" aria-labelledby="aliases-h">
        <h2 id="aliases-h" style={{ marginTop: 0 }}>
          Accounts merged into this identity ({i.aliasList.length})
        </h2>
        <table className="data">
          <caption className="visually-hidden">Aliases with the rule that merged each and its evidence</caption>
          <thead>
            <tr>
              <th scope="col">Platform</th>
              <th scope="col">Alias</th>
              <th scope="col">Why merged</th>
              <th scope="col">Evidence</th>
            </tr>
          </thead>
          <tbody>
            {i.aliasList.map((a) => (
              <tr key={`${a.platform}|${a.aliasType}|${a.externalId}`} data-testid="alias-row">
                <td>{platformLabel(a.platform)}</td>
                <td>
                  <span className="muted">{a.aliasType}:</span>{" "}
                  <code>
                    <VisibleText text={a.externalId} />
                  </code>
                </td>
                <td>
                  {MERGE_RULES[a.rule ?? ""] ?? a.rule ?? "—"}
                  {a.rule ? (
                    <div>
                      <code>{a.rule}</code>
                    </div>
                  ) : null}
                </td>
                <td>
                  {a.evidence && Object.keys(a.evidence).length ? (
                    Object.entries(a.evidence).map(([k, v]) => (
                      <div key={k}>
                        <span className="muted">{k}:</span> <code>{String(v)}</code>
                      </div>
                    ))
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section className="panel" aria-labelledby="isess-h">
        <h2 id="isess-h" style={{ marginTop: 0 }}>
          Sessions across platforms ({i.sessions.toLocaleString()})
        </h2>
        {i.sessions === 0 ? (
          <p className="muted">No session ran as this identity.</p>
        ) : (
          <>
            <div className="counts" style={{ marginBottom: "0.75rem" }}>
              {i.sessionsByPlatform.map((p) => (
                <span key={p.platform}>
                  <strong>{platformLabel(p.platform)}</strong>: {plural(p.sessions, "session")}, {plural(p.events, "event")}
                </span>
              ))}
            </div>
            <table className="data">
              <caption className="visually-hidden">The identity&apos;s most recent sessions</caption>
              <thead>
                <tr>
                  <th scope="col">Started (UTC)</th>
                  <th scope="col">Duration</th>
                  <th scope="col">Platform</th>
                  <th scope="col">Actions</th>
                  <th scope="col">Events</th>
                  <th scope="col">Links</th>
                </tr>
              </thead>
              <tbody>
                {i.recentSessions.map((s) => (
                  <tr key={s.id}>
                    <td>
                      <Link href={`/sessions/${s.id}`}>
                        <Time iso={s.startedAt} />
                      </Link>
                    </td>
                    <td>{fmtDuration(s.startedAt, s.endedAt)}</td>
                    <td>{platformLabel(s.platform)}</td>
                    <td className="clip-cell">{s.actions.slice(0, 4).join(", ")}</td>
                    <td>{s.eventCount.toLocaleString()}</td>
                    <td>{s.links || ""}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {i.sessions > i.recentSessions.length ? (
              <p className="muted">
                The {i.recentSessions.length} most recent are shown;{" "}
                <Link href={`/sessions?identityId=${i.id}&identityName=${encodeURIComponent(i.displayName)}`}>
                  see all on the Sessions page
                </Link>
                .
              </p>
            ) : null}
          </>
        )}
      </section>

      <section className="panel" aria-labelledby="icred-h">
        <h2 id="icred-h" style={{ marginTop: 0 }}>
          Credentials ({i.credentials.length})
        </h2>
        {i.credentials.length === 0 ? (
          <p className="muted">No credential identifier appears in this identity&apos;s events.</p>
        ) : (
          <table className="data">
            <caption className="visually-hidden">Credentials with their parent credential and the rule that proves it</caption>
            <thead>
              <tr>
                <th scope="col">Credential</th>
                <th scope="col">Platform</th>
                <th scope="col">Obtained from</th>
                <th scope="col">First seen / last used (UTC)</th>
                <th scope="col">Sessions</th>
                <th scope="col">Lineage</th>
              </tr>
            </thead>
            <tbody>
              {i.credentials.map((c) => (
                <tr key={c.id} data-testid="credential-row">
                  <td>
                    <strong>{c.kind.replace(/_/g, " ")}</strong> <code>{c.externalId}</code>
                  </td>
                  <td>{platformLabel(c.platform)}</td>
                  <td>
                    {c.parentId ? (
                      <>
                        {parents.get(c.parentId) ? <code>{parents.get(c.parentId)!.externalId}</code> : "another identity's credential"}
                        <div className="muted">
                          rule <code>{c.parentRule}</code>
                        </div>
                      </>
                    ) : (
                      <span className="muted">no parent proven</span>
                    )}
                  </td>
                  <td>
                    <Time iso={c.firstSeenAt} />
                    <div className="muted">
                      <Time iso={c.lastUsedAt} />
                    </div>
                  </td>
                  <td>{c.sessions}</td>
                  <td>
                    <Link href={`/lineage?credentialId=${c.id}`}>Graph</Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
