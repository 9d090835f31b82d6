import { capability as f, definePlatform } from "../define-platform";
import { GITHUB_PLATFORM } from "./normalize";
import { GITHUB_PRIVILEGED } from "./privileged";
import { GITHUB_RETENTION } from "./retention";

// Everything Sessionproof knows about this platform apart from reading its records (lib/sources/define-platform.ts).
export const GITHUB_PROFILE = definePlatform({
  platform: GITHUB_PLATFORM,
  label: "GitHub audit log",
  displayName: "GitHub",
  privileged: GITHUB_PRIVILEGED,
  retention: GITHUB_RETENTION,
  retentionReads: { eventName: true },
  capabilities: {
    kind: "platform",
    fields: {
      session_id: f(
        "no",
        null,
        "The audit log has no session id; hashed_token groups token activity.",
        "Nothing to enable: GitHub logs no session id. Activity is grouped by hashed_token instead.",
      ),
      credential_id: f(
        "yes",
        "hashed_token, token_id, programmatic_access_type, token_scopes",
        "",
        "Ingest the audit log stream (token fields are present for token-authenticated events).",
      ),
      actor_kind: f(
        "yes",
        "actor_is_bot, actor_is_agent, programmatic_access_type",
        "",
        "Ingest the audit log stream, which carries actor_is_bot and actor_is_agent.",
      ),
      oauth_client: f(
        "partial",
        "integration (name), oauth_application_id",
        "The integration name, not always an id.",
        "Ingest oauth_application and integration events from the audit log stream.",
      ),
      ip: f(
        "partial",
        "actor_ip",
        "Only with IP disclosure enabled, never for api.request without repository context, and not from the org API.",
        "Enable GitHub audit log streaming with IP disclosure to get actor_ip (Enterprise settings > Audit log > Source IP disclosure).",
      ),
      user_agent: f(
        "partial",
        "user_agent",
        "Present on streamed events, not in every export.",
        "Use audit log streaming rather than the org API or UI export to keep user_agent.",
      ),
      target_object: f(
        "partial",
        "repo, repo_id, org, user",
        "The org export has pull_request rows with no PR number or repo.",
        "Use audit log streaming: exports lose repo and PR context for some actions.",
      ),
      approval_ref: f(
        "partial",
        "pull_request_review.submit",
        "A review approval, not a change ticket.",
        "Feed change tickets (ServiceNow or Jira) so that privileged org changes can be matched to an approval.",
      ),
      policy_decision: f(
        "partial",
        "rejected_ref_update, ruleset_* bypass",
        "Branch rule outcomes only.",
        "Keep protected_branch and repository_ruleset events in the stream.",
      ),
    },
    exportHow:
      "enable audit log streaming (to S3, Azure Blob, Splunk or Datadog) and ingest the stream; Git events need streaming too (7 days)",
  },
  correlation: {
    appNames: { pattern: /github/i, rank: 7 },
    tokenKeyTypes: ["github.hashed_token", "github.token_id"],
    // git.clone / git.fetch / git.push are Git protocol operations ("git category actions" of the audit log), written
    // with the git client's user agent whatever tool holds the token: a person's `gh` CLI session or a script clones
    // through git with the same token, so git's user agent beside another client is not another session.
    tokenCompanionClient: (e) => e.event_name.startsWith("git."),
    // GitHub Actions workflow events: the job that can request an OIDC token (the federation link's first half).
    ciJobEvent: (e) => e.event_name.startsWith("workflows."),
    // An event performed with a token names the token by hashed_token and by token_id, "the ID of the token"
    // ("Identifying audit log events performed by an access token",
    // https://docs.github.com/en/enterprise-cloud@latest/admin/monitoring-activity-in-your-enterprise/reviewing-audit-logs-for-your-enterprise/identifying-audit-log-events-performed-by-an-access-token);
    // personal_access_token.create names the new token by user_programmatic_access_id, the same id (security log
    // events, https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/security-log-events).
    credentialAlias: (e) => (typeof e.extra?.token_id === "string" && e.extra.token_id !== "" ? e.extra.token_id : null),
  },
});
