import { capability as f, definePlatform, MINUTE } from "../define-platform";
import { ENTRA_PLATFORM } from "./normalize";
import { ENTRA_PRIVILEGED } from "./privileged";
import { ENTRA_RETENTION } from "./retention";

// Everything Sessionproof knows about this platform apart from reading its records (lib/sources/define-platform.ts).
export const ENTRA_PROFILE = definePlatform({
  platform: ENTRA_PLATFORM,
  label: "Microsoft Entra ID",
  displayName: "Entra ID",
  // Names a grant feed may write for this platform (grant.platform before ":").
  aliases: ["entra", "azure", "azuread", "aad", "microsoft", "m365"],
  privileged: ENTRA_PRIVILEGED,
  retention: ENTRA_RETENTION,
  capabilities: {
    kind: "platform",
    fields: {
      session_id: f(
        "yes",
        "sessionId, linkableIdentifiers.sessionId, correlationId",
        "The 2022 Elastic sign-in sample lacks sessionId: older exports may not carry it.",
        "Export sign-ins through Microsoft Graph (beta signIns keeps sessionId and linkableIdentifiers) or diagnostic settings, not the portal CSV.",
      ),
      credential_id: f(
        "yes",
        "uniqueTokenIdentifier, servicePrincipalCredentialKeyId",
        "",
        "Export sign-in logs, including service principal and managed identity sign-ins, through Graph or diagnostic settings.",
      ),
      actor_kind: f(
        "yes",
        "sign-in category (SP / MI / NonInteractive), initiatedBy.user / initiatedBy.app",
        "",
        "Enable all sign-in categories (interactive, non-interactive, service principal, managed identity) in diagnostic settings.",
      ),
      oauth_client: f("yes", "appId, resourceId", "", "Export sign-in logs with appId (Graph signIns or diagnostic settings)."),
      ip: f("yes", "ipAddress", "", "Export sign-in logs with ipAddress (Graph signIns)."),
      user_agent: f("yes", "userAgent", "", "Export sign-in logs through Graph: the portal download drops userAgent for some rows."),
      target_object: f(
        "yes",
        "resourceId, targetResources[].id / type",
        "",
        "Ingest directory audit logs (targetResources) as well as sign-ins.",
      ),
      approval_ref: f(
        "no",
        null,
        "Entra events carry no ticket reference (PIM justification text is free text).",
        "Feed approvals (ServiceNow or Jira) and PIM / PAM grants so that role changes can be matched to a ticket.",
      ),
      policy_decision: f(
        "yes",
        "appliedConditionalAccessPolicies[].result, conditionalAccessStatus",
        "",
        "Keep Conditional Access fields in the sign-in export (Graph signIns includes them).",
      ),
    },
    exportHow:
      "stream sign-in and audit logs continuously with Entra diagnostic settings (Event Hub or a storage account) or poll Microsoft Graph daily",
  },
  correlation: {
    idpSso: { rule: "entra_signin_to_app", appName: (e) => (e.class_uid === 3002 && e.client?.app_name ? e.client.app_name : null) },
    // Entra sign-in logs: non-interactive sign-ins are token renewals a client makes within the user's session from
    // the same device, app and address; many of them carry no sessionId.
    keylessJoin: { rule: "keyless_join:identity+client+network+span", confidence: 0.8, slackMs: 5 * MINUTE },
    // Workload identity federation: a sign-in with a federated identity credential (an external OIDC token, e.g. a
    // GitHub Actions job's) is the second half of an oidc_federation link.
    federatedSignIn: (e) => e.credential?.native_type === "federatedIdentityCredential",
  },
});
