import { capability as f, definePlatform } from "../define-platform";
import { ATLASSIAN_PLATFORM } from "./normalize";
import { ATLASSIAN_PRIVILEGED } from "./privileged";
import { ATLASSIAN_RETENTION } from "./retention";

// Everything Sessionproof knows about this platform apart from reading its records (lib/sources/define-platform.ts).
export const ATLASSIAN_PROFILE = definePlatform({
  platform: ATLASSIAN_PLATFORM,
  label: "Atlassian audit log",
  displayName: "Atlassian",
  // Names a grant feed may write for this platform (grant.platform before ":").
  aliases: ["atlassian", "jira", "confluence"],
  privileged: ATLASSIAN_PRIVILEGED,
  retention: ATLASSIAN_RETENTION,
  retentionReads: { shape: true },
  capabilities: {
    kind: "platform",
    fields: {
      session_id: f("no", null, "No session id.", "Nothing to enable: Atlassian audit logs have no session id."),
      credential_id: f(
        "partial",
        "extraAttributes (Personal access token created, Token Name)",
        "Token name only, on creation.",
        "Nothing to enable: token use is not logged with an id; keep token-creation events.",
      ),
      actor_kind: f(
        "partial",
        "author.type",
        "System events have no author.",
        "Ingest the org audit log (Atlassian Guard) as well as product logs.",
      ),
      oauth_client: f("no", null, "No OAuth client.", "Nothing to enable: Atlassian audit logs have no OAuth client."),
      ip: f(
        "partial",
        "remoteAddress / source",
        "Often missing.",
        "Ingest the org audit log (Atlassian Guard), which carries the IP more often than the product log.",
      ),
      user_agent: f("no", null, "No user agent.", "Nothing to enable: Atlassian audit logs have no user agent."),
      target_object: f("yes", "objectItem, affectedObjects", "", "Ingest the auditing/record API results with objectItem."),
      approval_ref: f(
        "no",
        null,
        "No ticket reference in audit events.",
        "Feed approvals (ServiceNow or Jira issues) so admin changes can be matched to a ticket.",
      ),
      policy_decision: f("no", null, "No policy outcome.", "Nothing to enable: Atlassian audit logs carry no policy decision."),
    },
    exportHow: "poll the organization audit log API (or the auditing/record API) at least monthly",
  },
  correlation: { appNames: { pattern: /atlassian|jira|confluence/i, rank: 5 } },
});
