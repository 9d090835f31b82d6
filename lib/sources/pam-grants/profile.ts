import { capability as f, definePlatform } from "../define-platform";
import { PAM_GRANTS_PLATFORM } from "./platform";
import { PAM_GRANTS_PRIVILEGED } from "./privileged";

// Everything Sessionproof knows about this platform apart from reading its records (lib/sources/define-platform.ts).
export const PAM_GRANTS_PROFILE = definePlatform({
  platform: PAM_GRANTS_PLATFORM,
  label: "Sessionproof grant feed (PAM/JIT)",
  displayName: "PAM grants",
  // A grant whose platform is this feed's own id names no target platform: it covers any.
  grantFeed: true,
  privileged: PAM_GRANTS_PRIVILEGED,
  capabilities: {
    kind: "governance",
    fields: {
      session_id: f("no", null, "A grant feed has no session.", null),
      credential_id: f("yes", "grant_id", "The grant itself is the credential.", "Include grant_id in every row of the feed."),
      actor_kind: f(
        "partial",
        "principal_type",
        "Optional column.",
        "Fill principal_type (human, service_account, ...) in the grant feed.",
      ),
      oauth_client: f("no", null, "Not applicable to grants.", null),
      ip: f("no", null, "Not applicable to grants.", null),
      user_agent: f("no", null, "Not applicable to grants.", null),
      target_object: f("yes", "privilege, platform", "", "Fill platform in the grant feed so grants match the right platform."),
      approval_ref: f(
        "partial",
        "ticket, approved_by",
        "Optional columns.",
        "Fill ticket and approved_by in the grant feed so each grant names its approval.",
      ),
      policy_decision: f("no", null, "Not applicable to grants.", null),
    },
    exportHow: "export grants from the PAM tool on a schedule",
  },
});
