import { capability as f, definePlatform } from "../define-platform";
import { M365_PLATFORM } from "./normalize";
import { M365_PRIVILEGED } from "./privileged";
import { M365_RETENTION } from "./retention";

// Everything Sessionproof knows about this platform apart from reading its records (lib/sources/define-platform.ts).
export const M365_PROFILE = definePlatform({
  platform: M365_PLATFORM,
  label: "Microsoft 365 Unified Audit Log",
  displayName: "Microsoft 365",
  // Names a grant feed may write for this platform (grant.platform before ":").
  aliases: ["m365", "entra", "azure", "azuread", "aad", "microsoft", "office365", "o365", "exchange", "sharepoint"],
  privileged: M365_PRIVILEGED,
  retention: M365_RETENTION,
  retentionReads: { shape: true },
  capabilities: {
    kind: "platform",
    fields: {
      session_id: f(
        "partial",
        "AppAccessContext.AADSessionId",
        "Seen with placeholder values only; the real Exchange sample has no AppAccessContext.",
        "Use the Office 365 Management Activity API (it keeps AppAccessContext) and join UAL events to Entra sign-ins by AADSessionId where present.",
      ),
      credential_id: f(
        "partial",
        "AppAccessContext.UniqueTokenId",
        "Only third-party parsers show UniqueTokenId.",
        "Use the Management Activity API export, which carries AppAccessContext when Microsoft fills it.",
      ),
      actor_kind: f(
        "yes",
        "UserType, UserId",
        "System actor S-1-5-18 appears for service activity.",
        "Ingest the full UAL record (UserType is in every record).",
      ),
      oauth_client: f(
        "partial",
        "ClientAppId / AppId",
        "ClientAppId appears for some workloads only.",
        "Ingest UAL through the Management Activity API; join to Entra sign-ins by session for the app id.",
      ),
      ip: f(
        "yes",
        "ClientIP",
        "Service activity shows ClientIP ::1.",
        "Ingest UAL records with ClientIP as exported by the Management Activity API.",
      ),
      user_agent: f(
        "yes",
        "UserAgent / ClientInfoString",
        "",
        "Ingest UAL records as exported by the Management Activity API (ClientInfoString for Exchange).",
      ),
      target_object: f("yes", "ObjectId", "", "Ingest UAL records with ObjectId."),
      approval_ref: f(
        "no",
        null,
        "UAL events carry no ticket reference.",
        "Feed approvals (ServiceNow or Jira) and PAM grants so that admin actions can be matched to a ticket.",
      ),
      policy_decision: f(
        "no",
        null,
        "Policy outcomes for M365 sign-ins are on the Entra sign-in events.",
        "Ingest Entra sign-in logs: Conditional Access results live there, joined by session.",
      ),
    },
    exportHow:
      "pull the Unified Audit Log continuously through the Office 365 Management Activity API (it only serves the last 7 days of content blobs)",
  },
  correlation: { appNames: { pattern: /office 365|microsoft 365|exchange|sharepoint|onedrive|teams/i, rank: 8 } },
});
