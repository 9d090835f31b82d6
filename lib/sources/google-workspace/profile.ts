import { capability as f, definePlatform } from "../define-platform";
import { GOOGLE_PLATFORM } from "./normalize";
import { GOOGLE_WORKSPACE_PRIVILEGED } from "./privileged";
import { GOOGLE_WORKSPACE_RETENTION } from "./retention";

// Everything Sessionproof knows about this platform apart from reading its records (lib/sources/define-platform.ts).
export const GOOGLE_WORKSPACE_PROFILE = definePlatform({
  platform: GOOGLE_PLATFORM,
  label: "Google Workspace",
  displayName: "Google Workspace",
  // Names a grant feed may write for this platform (grant.platform before ":").
  aliases: ["google-workspace", "google", "gws", "gsuite", "workspace"],
  privileged: GOOGLE_WORKSPACE_PRIVILEGED,
  retention: GOOGLE_WORKSPACE_RETENTION,
  capabilities: {
    kind: "platform",
    fields: {
      session_id: f(
        "no",
        null,
        "The Reports API Activity record has no session id.",
        "Nothing to enable: Google Workspace logs no session id. Sessions are grouped by actor, IP and time only.",
      ),
      credential_id: f(
        "no",
        null,
        "Token events give client_id, app_name and scope[] but no token id.",
        "Nothing to enable: no token id exists; rely on the OAuth client id of token events.",
      ),
      actor_kind: f(
        "partial",
        "actor.callerType, actor.key, applicationInfo.impersonation",
        "",
        "Ingest the actor object including applicationInfo to tell apps and impersonation from people.",
      ),
      oauth_client: f(
        "yes",
        "client_id, applicationInfo.oauthClientId, originating_app_id",
        "",
        "Ingest the token application's activities (applicationName=token) as well as admin and login.",
      ),
      ip: f("yes", "ipAddress (+ networkInfo)", "", "Ingest activities from the Reports API (activities.list) with ipAddress."),
      user_agent: f(
        "no",
        null,
        "There is no user-agent field at record level.",
        "Nothing to enable: Google Workspace audit records have no user agent.",
      ),
      target_object: f(
        "yes",
        "doc_id, resourceIds, resourceDetails",
        "",
        "Ingest the Drive application's activities for document targets.",
      ),
      approval_ref: f(
        "no",
        null,
        "No ticket or approval reference.",
        "Feed approvals (ServiceNow or Jira) so admin changes can be matched to a ticket.",
      ),
      policy_decision: f(
        "partial",
        "is_suspicious, login_challenge_method",
        "Login risk signals only.",
        "Ingest the login application's activities to keep challenge and suspicious-login results.",
      ),
    },
    exportHow: "poll the Reports API activities.list daily (or export to BigQuery)",
  },
  correlation: { appNames: { pattern: /google|g suite|gsuite|workspace/i, rank: 3 } },
});
