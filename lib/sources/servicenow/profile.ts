import { capability as f, definePlatform } from "../define-platform";
import { SERVICENOW_PLATFORM } from "./normalize";

// Everything Sessionproof knows about this platform apart from reading its records (lib/sources/define-platform.ts).
export const SERVICENOW_PROFILE = definePlatform({
  platform: SERVICENOW_PLATFORM,
  label: "ServiceNow change requests and approvals",
  displayName: "ServiceNow",
  // A ticket authorizes work and is never itself a privileged action: the platforms' own events show the privileged use.
  privileged: [],
  capabilities: {
    kind: "governance",
    fields: {
      session_id: f("no", null, "A ticket feed has no session.", null),
      credential_id: f("no", null, "A ticket feed has no credential.", null),
      actor_kind: f(
        "partial",
        "requested_by, opened_by, closed_by",
        "sys_ids of people.",
        "Export the requester and approver display values (sysparm_display_value=true).",
      ),
      oauth_client: f("no", null, "Not applicable to tickets.", null),
      ip: f("no", null, "Not applicable to tickets.", null),
      user_agent: f("no", null, "Not applicable to tickets.", null),
      target_object: f(
        "partial",
        "cmdb_ci",
        "Empty in the demo sample.",
        "Fill the configuration item (cmdb_ci) on change requests so that tickets name the systems they cover.",
      ),
      approval_ref: f(
        "yes",
        "number, approval, approval_set",
        "Approver identity and time live in sysapproval_approver.",
        "Export sysapproval_approver too so the approver and time are known.",
      ),
      policy_decision: f("partial", "risk, cab_required, unauthorized", "", null),
    },
    exportHow: "export change requests from the Table API",
  },
});
