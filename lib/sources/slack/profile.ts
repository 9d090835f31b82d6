import { capability as f, definePlatform, MINUTE } from "../define-platform";
import { SLACK_PLATFORM } from "./normalize";
import { SLACK_PRIVILEGED } from "./privileged";
import { SLACK_RETENTION } from "./retention";

// Everything Sessionproof knows about this platform apart from reading its records (lib/sources/define-platform.ts).
export const SLACK_PROFILE = definePlatform({
  platform: SLACK_PLATFORM,
  label: "Slack audit logs",
  displayName: "Slack",
  privileged: SLACK_PRIVILEGED,
  retention: SLACK_RETENTION,
  capabilities: {
    kind: "platform",
    fields: {
      session_id: f(
        "partial",
        "context.session_id",
        "Seen in 1 of 4 Elastic samples and none of 44 Panther samples.",
        "Nothing to enable: Slack fills context.session_id only for some actions; group the rest by user, IP and time.",
      ),
      credential_id: f(
        "no",
        null,
        "No token id (only booleans such as details.granular_bot_token).",
        "Nothing to enable: Slack logs no token id.",
      ),
      actor_kind: f(
        "partial",
        "actor.type, acting_agent",
        'actor.type is always "user"; USLACKUSER when nobody acted.',
        "Ingest the entity.app events to tell app activity from people.",
      ),
      oauth_client: f(
        "partial",
        "entity.app.id, context.app",
        "",
        "Ingest app installation and scope events (app_installed, app_scopes_expanded).",
      ),
      ip: f("yes", "context.ip_address", "", "Ingest the Audit Logs API records with their context object."),
      user_agent: f("yes", "context.ua", "", "Ingest the Audit Logs API records with their context object."),
      target_object: f("yes", "entity.type + entity.<type>.id", "", "Ingest the entity object as returned by the Audit Logs API."),
      approval_ref: f(
        "no",
        null,
        "No ticket or approval reference.",
        "Feed approvals (ServiceNow or Jira) so admin changes can be matched to a ticket.",
      ),
      policy_decision: f(
        "partial",
        "details.reason (anomaly events)",
        "Anomaly events only.",
        "Ingest anomaly events from the Audit Logs API.",
      ),
    },
    exportHow: "poll the Audit Logs API daily (oldest/latest cursors) and keep the results",
  },
  correlation: {
    appNames: { pattern: /slack/i, rank: 2 },
    // Audit Logs API: context.session_id is set on actions done in a signed-in session, not on every entry of that
    // session (API-token and some admin actions lack it).
    keylessJoin: { rule: "keyless_join:identity+client+network+span", confidence: 0.85, slackMs: 5 * MINUTE },
  },
});
