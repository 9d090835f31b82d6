import Link from "next/link";
import { VisibleText } from "@/components/visible-text";
import { requirePage } from "@/lib/auth/guard";
import { getAnalysisStatus } from "@/lib/analysis/analysis-status";
import { AnalysisAsOf } from "@/components/analysis-as-of";
import { can } from "@/lib/auth/permissions";
import { listGovernanceChecks } from "@/lib/governance/list-governance-checks";
import { summarizeGovernanceChecks } from "@/lib/governance/summarize-governance-checks";
import {
  CATEGORY_LABEL,
  CHECK_STATUSES,
  PRIVILEGED_CATEGORIES,
  RULE_LABEL,
  STATUS_LABEL,
  checksQuery,
  type CheckSort,
  type CheckStatus,
  type ChecksQuery,
  type GovernanceCheckItem,
} from "@/lib/governance/types";
import { EmptyState, PageHeader } from "@/components/empty-state";
import { FilterBar, FilterInput, FilterSelect, InvalidFilters, NoMatch } from "@/components/filter-bar";
import { fmtTime } from "@/components/format";
import { Pager, ResultCount, firstValues, listHref, type SearchParams } from "@/components/pager";
import { SortLinkHeaders } from "@/components/sortable";
import { GovernanceChart } from "./governance-chart";
import { Time } from "@/components/time";

export const metadata = { title: "Governance" };

const COLUMNS: { key: CheckSort | null; label: string }[] = [
  { key: "time", label: "Time" },
  { key: "platform", label: "Platform" },
  { key: "actor", label: "Actor" },
  { key: null, label: "Action" },
  { key: "category", label: "Category" },
  { key: null, label: "Approval" },
  { key: null, label: "JIT grant" },
  { key: "minutes", label: "Minutes outside" },
  { key: null, label: "Broader grant?" },
  { key: null, label: "Policy decision" },
  { key: "status", label: "Status" },
];

const yesNo = (v: boolean | null, yes: string, no: string, none = "—") =>
  v === null ? <span className="muted">{none}</span> : v ? yes : no;

// Statuses that are findings of their own weight (red) and those that say evidence is thin or loose (amber).
const WARN: ReadonlySet<CheckStatus> = new Set(["approver_unknown", "ticket_overused", "over_broad_grant"]);
const tone = (s: CheckStatus) => (s === "ok" ? "ok" : WARN.has(s) ? "warn" : "bad");

function ApprovalCell({ c }: { c: GovernanceCheckItem }) {
  if (!c.approval) return <span className="muted">{c.approvalRef ? `${c.approvalRef} (not in the approval feeds)` : "no ticket"}</span>;
  const a = c.approval;
  return (
    <>
      <span className={c.approved ? "gov-yes" : "gov-no"}>{c.approved ? "Approved" : "Not approved"}</span> {a.ticketKey}
      <div className="gov-sub">
        {a.state ? `state ${a.state}; ` : ""}
        {a.approver ? `by ${a.approver}` : "approver not recorded"}
        {a.approvedAt ? ` at ${fmtTime(a.approvedAt)}` : ""}
        <br />
        window <Time iso={a.windowStart} empty="…" /> – <Time iso={a.windowEnd} empty="…" />
      </div>
    </>
  );
}

function GrantCell({ c }: { c: GovernanceCheckItem }) {
  if (!c.grant) return <span className="muted">{c.insideWindow ? "the grant itself" : "no grant"}</span>;
  const g = c.grant;
  return (
    <>
      <span className={c.insideWindow ? "gov-yes" : "gov-no"}>{c.insideWindow ? "Inside" : "Outside"}</span> {g.privilege}
      <div className="gov-sub">
        {g.externalId}: <Time iso={g.grantedAt} /> – <Time iso={g.endsAt} empty="open-ended" />
      </div>
    </>
  );
}

function StatusCell({ c }: { c: GovernanceCheckItem }) {
  return (
    <>
      <span className={`gov-status gov-tone-${tone(c.status)}`}>{STATUS_LABEL[c.status] ?? c.status}</span>
      {c.statuses.length > 1 ? (
        <div className="gov-sub">
          also{" "}
          {c.statuses
            .filter((s) => s !== c.status)
            .map((s) => STATUS_LABEL[s] ?? s)
            .join(", ")}
        </div>
      ) : null}
    </>
  );
}

// Privileged actions joined to their approval, JIT grant and policy decision. Filters, sort and page live in the
// URL (a plain GET form and links), so any view is a link.
export default async function GovernancePage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const user = await requirePage("/governance");
  const analysis = await getAnalysisStatus();
  const raw = firstValues(await searchParams);
  const parsed = checksQuery.safeParse(raw);
  const q: ChecksQuery = parsed.success ? parsed.data : checksQuery.parse({});
  const [page, summary] = await Promise.all([listGovernanceChecks(q), summarizeGovernanceChecks({ ...q })]);
  const filtered = Boolean(q.status || q.platform || q.category || q.identityId || q.sessionId || q.from || q.to);
  const mayIngest = can(user.role, "ingest.write");

  const href = (patch: Record<string, string | number | undefined>) => listHref("/governance", raw, patch);

  const s = summary.byStatus;
  // The totals, then one card per failing rule that has checks (a check failing several rules counts under each).
  const cards = [
    { label: "Privileged actions", value: summary.total, status: undefined, tone: "" },
    { label: "OK", value: s.ok, status: "ok", tone: "gov-card-ok" },
    { label: "Any problem", value: summary.total - s.ok, status: "problem", tone: "gov-card-bad" },
    ...CHECK_STATUSES.filter((st) => st !== "ok" && s[st] > 0).map((st) => ({
      label: STATUS_LABEL[st],
      value: s[st],
      status: st,
      tone: tone(st) === "warn" ? "gov-card-warn" : "gov-card-bad",
    })),
  ];
  const exportParams = new URLSearchParams(
    Object.entries(raw).filter(
      (e): e is [string, string] => typeof e[1] === "string" && e[1] !== "" && !["offset", "limit"].includes(e[0]),
    ),
  );
  const exportHref = `/api/v1/governance/checks/export${exportParams.size ? `?${exportParams}` : ""}`;
  const series = CHECK_STATUSES.filter((st) => summary.byCategory.some((c) => c[st] > 0)).map((st) => ({
    key: st,
    name: STATUS_LABEL[st],
  }));
  const chartData = summary.byCategory.map((c) => ({
    label: CATEGORY_LABEL[c.category],
    ...Object.fromEntries(CHECK_STATUSES.map((st) => [st, c[st]])),
  }));
  const noneAtAll = summary.feeds.checked === 0;

  return (
    <>
      <PageHeader
        title="Governance"
        description="Did the right privilege exist only long enough to complete the approved task? Every privileged action (role, permission and policy changes, exports, credentials, app consent, configuration) joined to the ticket that approved it, the JIT grant that made it possible and the policy decision recorded at request time, and judged rule by rule: proven identity, ticket state and scope, approval before the action and still valid, separation of duties, ticket reuse, JIT window and grant breadth."
        actions={
          noneAtAll ? undefined : (
            <a className="btn btn-secondary btn-small" href={exportHref} download data-testid="governance-export-csv">
              Export CSV
            </a>
          )
        }
      />
      <AnalysisAsOf status={analysis} mayRun={can(user.role, "ingest.write")} />
      {noneAtAll ? (
        <EmptyState title="No privileged actions checked yet">
          <p>
            Checks are rebuilt after each correlation run from the ingested platform logs, joined to three governance feeds:{" "}
            <strong>approvals</strong> from ServiceNow change requests (Table API JSON of <code>change_request</code> and{" "}
            <code>sysapproval_approver</code>) or Jira issues (REST search JSON with <code>expand=changelog</code>),{" "}
            <strong>JIT grants</strong> from your PAM tool exported in the Sessionproof grant format (<code>docs/grant-format.md</code>:
            JSON, NDJSON or CSV with <code>grant_id, principal, privilege, granted_at, expires_at</code>), and{" "}
            <strong>policy decisions</strong> from OPA decision logs (Okta and Entra Conditional Access results come inside their sign-in
            events).
          </p>
          <p>
            Stored now: {summary.feeds.approvals} approvals, {summary.feeds.grants} grants, {summary.feeds.decisions} policy decisions.{" "}
            {mayIngest ? (
              <>
                Upload the platform logs and these exports on the <Link href="/ingest">Ingest page</Link> (or run{" "}
                <code>npm run cli -- ingest &lt;files&gt;</code>), then run the correlation from the{" "}
                <Link href="/sessions">Sessions page</Link>.
              </>
            ) : (
              <>Ask an analyst or an administrator to ingest the platform logs and these exports and to run the correlation.</>
            )}
          </p>
        </EmptyState>
      ) : (
        <>
          <section className="panel" aria-labelledby="gov-summary-h">
            <h2 id="gov-summary-h">Summary{filtered ? " (filtered)" : ""}</h2>
            <ul className="gov-cards">
              {cards.map((c) => (
                <li key={c.label} className={`gov-card ${c.tone}`}>
                  <span className="gov-card-value">{c.value.toLocaleString("en")}</span>
                  {c.status ? <Link href={href({ status: c.status, offset: undefined })}>{c.label}</Link> : <span>{c.label}</span>}
                </li>
              ))}
            </ul>
            {chartData.length > 0 ? <GovernanceChart data={chartData} series={series} /> : null}
            <p className="muted">
              Feeds stored: {summary.feeds.approvals} approvals, {summary.feeds.grants} JIT grants, {summary.feeds.decisions} policy
              decisions.
            </p>
          </section>
          <section className="panel" aria-labelledby="gov-list-h">
            <h2 id="gov-list-h">Privileged actions</h2>
            <FilterBar
              label="Filter privileged actions"
              path="/governance"
              className="gov-filters"
              keep={{ identityId: q.identityId, sessionId: q.sessionId, sort: q.sort, dir: q.dir }}
              filtered={filtered}
            >
              <FilterSelect
                id="f-status"
                label="Status"
                name="status"
                value={q.status}
                any="Any status"
                options={[
                  { value: "problem", label: "Any problem (not OK)" },
                  // A failing status shows every check failing that rule, also where another status is shown first.
                  ...CHECK_STATUSES.map((st) => ({ value: st, label: STATUS_LABEL[st] })),
                ]}
              />
              <FilterSelect
                id="f-platform"
                label="Platform"
                name="platform"
                value={q.platform}
                any="Any platform"
                options={summary.platforms}
              />
              <FilterSelect
                id="f-category"
                label="Category"
                name="category"
                value={q.category}
                any="Any category"
                options={PRIVILEGED_CATEGORIES.map((c) => ({ value: c, label: CATEGORY_LABEL[c] }))}
              />
              <FilterInput id="f-from" label="From" name="from" type="date" value={raw.from} />
              <FilterInput id="f-to" label="To" name="to" type="date" value={raw.to} />
            </FilterBar>
            {q.identityId || q.sessionId ? (
              <p className="muted">
                Showing one {q.identityId ? "identity" : "session"}&apos;s actions only.{" "}
                <Link href={href({ identityId: undefined, sessionId: undefined, offset: undefined })}>Show everyone&apos;s</Link>
              </p>
            ) : null}
            <InvalidFilters issues={parsed.error?.issues} what="privileged actions" />
            {page.total === 0 ? (
              <NoMatch title="No privileged action matches these filters" clearHref="/governance" />
            ) : (
              <>
                <ResultCount
                  total={page.total}
                  offset={page.offset}
                  shown={page.items.length}
                  one="privileged action"
                  many="privileged actions"
                />
                <div className="gov-scroll">
                  <table className="data gov-table" data-testid="governance-table">
                    <caption className="visually-hidden">
                      Privileged actions with their approval, JIT grant and policy decision; the sortable column headers are links
                    </caption>
                    <thead>
                      <SortLinkHeaders
                        columns={COLUMNS}
                        sort={q.sort}
                        dir={q.dir}
                        ascFirst={["actor", "platform", "category"]}
                        path="/governance"
                        params={raw}
                      />
                    </thead>
                    <tbody>
                      {page.items.map((c) => (
                        <tr key={c.id} data-status={c.status} data-statuses={c.statuses.join(" ")}>
                          <td className="gov-nowrap">
                            <Time iso={c.time} />
                          </td>
                          <td>{c.platform}</td>
                          <td>
                            {c.identity ? (
                              <Link href={`/identities/${c.identity.id}`}>
                                <VisibleText text={c.identity.name} />
                              </Link>
                            ) : c.actorName ? (
                              <VisibleText text={c.actorName} />
                            ) : (
                              <span className="muted">unknown</span>
                            )}
                            {c.identity && c.actorName && c.actorName !== c.identity.name ? (
                              <div className="gov-sub">
                                as <VisibleText text={c.actorName} />
                              </div>
                            ) : null}
                          </td>
                          <td>
                            {c.sessionId ? (
                              <Link href={`/sessions/${c.sessionId}`} title="Open the session">
                                {c.action}
                              </Link>
                            ) : (
                              c.action
                            )}
                            {c.targetName ? <div className="gov-sub">on {c.targetName}</div> : null}
                            <div className="gov-sub">{c.reason}</div>
                            <details className="gov-reasons">
                              <summary>Every rule</summary>
                              <ul>
                                {c.checks.map((r) => (
                                  <li key={r.rule} data-result={r.result}>
                                    <strong>{RULE_LABEL[r.rule] ?? r.rule}</strong>:{" "}
                                    {r.result === "pass"
                                      ? "passed"
                                      : r.result === "skip"
                                        ? "not applicable"
                                        : (STATUS_LABEL[r.status!] ?? r.status)}{" "}
                                    — {r.reason}
                                  </li>
                                ))}
                                {c.reasons.map((r) => (
                                  <li key={r}>{r}</li>
                                ))}
                              </ul>
                            </details>
                          </td>
                          <td>{CATEGORY_LABEL[c.category] ?? c.category}</td>
                          <td>
                            <ApprovalCell c={c} />
                          </td>
                          <td>
                            <GrantCell c={c} />
                          </td>
                          <td className="gov-num">{c.minutesOutside === null ? <span className="muted">—</span> : c.minutesOutside}</td>
                          <td>{yesNo(c.grantBroader, "Yes", "No")}</td>
                          <td>
                            {c.policy ? (
                              `${c.policy.result}${c.policy.engine ? ` (${c.policy.engine})` : ""}`
                            ) : (
                              <span className="muted">none recorded</span>
                            )}
                          </td>
                          <td>
                            <StatusCell c={c} />
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
                <Pager total={page.total} offset={page.offset} limit={page.limit} path="/governance" params={raw} />
              </>
            )}
          </section>
        </>
      )}
    </>
  );
}
