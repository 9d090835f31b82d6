import { capability as f, definePlatform } from "../define-platform";
import { JIRA_PLATFORM } from "./normalize";

// Everything Sessionproof knows about this platform apart from reading its records (lib/sources/define-platform.ts).
export const JIRA_PROFILE = definePlatform({
  platform: JIRA_PLATFORM,
  label: "Jira issues (approvals)",
  displayName: "Jira",
  // A ticket authorizes work and is never itself a privileged action: the platforms' own events show the privileged use.
  privileged: [],
  capabilities: {
    kind: "governance",
    fields: {
      session_id: f("no", null, "A ticket feed has no session.", null),
      credential_id: f("no", null, "A ticket feed has no credential.", null),
      actor_kind: f(
        "partial",
        "reporter, assignee, approvers",
        "Account ids of people.",
        "Export issues with reporter and approver fields expanded.",
      ),
      oauth_client: f("no", null, "Not applicable to tickets.", null),
      ip: f("no", null, "Not applicable to tickets.", null),
      user_agent: f("no", null, "Not applicable to tickets.", null),
      target_object: f(
        "partial",
        "components, labels, custom fields",
        "Whatever the project records about the change.",
        "Add a field naming the accounts and systems a change covers, so tickets can be matched to actions.",
      ),
      approval_ref: f("yes", "key, status, resolution", "", "Export issues with their status and changelog."),
      policy_decision: f("no", null, "Not applicable to tickets.", null),
    },
    exportHow: "export issues through the Jira REST API search",
  },
});
