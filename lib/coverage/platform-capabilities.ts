import type { Documented, FieldCapability, PlatformCapability, PlatformRetention } from "./types";

// What each platform documents it can provide per evidence field, and how to keep its log past the vendor's window.
// How long the vendor keeps it is not stated here: it lives per log type, cited, in lib/sources/<platform>/retention.ts.
// Transcribed from the project's reference notes (shared/reference/saas-log-fields.md: the matrix and the
// per-platform sections, which cite the vendor documentation named in `citation`). Kept here as data because the
// app must not read that folder at runtime; platform-capabilities.test.ts compares the two when the notes exist.
// Governance feeds (Jira issues, the PAM grant feed, OPA decision logs) are not in those notes: their rows
// describe the documented input shapes of their sources in lib/sources.

const f = (documented: Documented, vendorField: string | null, note: string, recommendation: string | null): FieldCapability => ({
  documented,
  vendorField,
  note,
  recommendation,
});

export const PLATFORM_CAPABILITIES: readonly PlatformCapability[] = [
  {
    platform: "okta",
    label: "Okta System Log",
    kind: "platform",
    fields: {
      session_id: f(
        "yes",
        "authenticationContext.externalSessionId",
        "Shared by every event of one sign-in session; rootSessionId appears in the OpenAPI example only.",
        "Ingest the full System Log (not a filtered report) so that authenticationContext is kept.",
      ),
      credential_id: f(
        "partial",
        "transaction.detail.requestApiTokenId",
        "Only for actions made with an API token; there is no OAuth access-token id.",
        "Nothing to enable: Okta logs no token id for OAuth access tokens. Link OAuth activity through client.id and externalSessionId instead.",
      ),
      actor_kind: f(
        "yes",
        "actor.type",
        "User, SystemPrincipal, PublicClientApp.",
        "Ingest the actor object as exported by the System Log API.",
      ),
      oauth_client: f(
        "yes",
        "client.id / AppInstance target",
        "Plus debugContext.debugData.grantType and grantedScopes.",
        "Ingest token-grant events (app.oauth2.*) from the System Log API.",
      ),
      ip: f(
        "yes",
        "client.ipAddress, request.ipChain[]",
        "SystemPrincipal and JOB events have a null client (no IP).",
        "Expected gaps are system events; if user events lack IPs, export from the System Log API rather than a trimmed CSV.",
      ),
      user_agent: f(
        "yes",
        "client.userAgent.rawUserAgent",
        "SystemPrincipal and JOB events have no user agent.",
        "Export from the System Log API so that client.userAgent is kept.",
      ),
      target_object: f("yes", "target[].type / target[].id", "", "Ingest the target array as exported."),
      approval_ref: f(
        "no",
        null,
        "Okta events carry no ticket or approval reference.",
        "Feed approvals (ServiceNow change requests or Jira issues) and JIT grants into Sessionproof so that privileged Okta admin actions can be matched to a ticket.",
      ),
      policy_decision: f(
        "yes",
        "policy.evaluate_sign_on outcome.result + PolicyRule targets",
        "debugData.risk / behaviors are documented as unstable.",
        "Keep policy.evaluate_sign_on events in the export (do not filter them out).",
      ),
    },
    exportHow:
      "export daily via the System Log API (GET /api/v1/logs with since/after polling) or a log stream (Amazon EventBridge / Splunk)",
  },
  {
    platform: "entra",
    label: "Microsoft Entra ID",
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
  {
    platform: "m365",
    label: "Microsoft 365 Unified Audit Log",
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
  {
    platform: "google-workspace",
    label: "Google Workspace",
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
  {
    platform: "github",
    label: "GitHub audit log",
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
  {
    platform: "slack",
    label: "Slack audit logs",
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
  {
    platform: "salesforce",
    label: "Salesforce",
    kind: "platform",
    fields: {
      session_id: f(
        "yes",
        "LOGIN_KEY, SESSION_KEY",
        "The Login ELF sample has an empty SESSION_KEY; Setup Audit Trail has none.",
        "Ingest EventLogFile (Login, Logout, API, URI) where LOGIN_KEY ties a session together.",
      ),
      credential_id: f("no", null, "No token id.", "Nothing to enable: Salesforce logs no token id; use CONNECTED_APP_ID and LOGIN_KEY."),
      actor_kind: f(
        "partial",
        "USER_TYPE, LoginType, DELEGATED_USER_ID",
        "",
        "Ingest LoginHistory / LoginEvent (LoginType tells OAuth apps and LoginAs from people).",
      ),
      oauth_client: f("yes", "CONNECTED_APP_ID, CLIENT_ID", "", "Ingest EventLogFile ConnectedApp and API events."),
      ip: f(
        "yes",
        "CLIENT_IP / SOURCE_IP",
        "Setup Audit Trail has no IP.",
        "Ingest EventLogFile and LoginHistory as well as Setup Audit Trail, which has no IP.",
      ),
      user_agent: f(
        "partial",
        "BROWSER_TYPE",
        "Not in Setup Audit Trail.",
        "Ingest EventLogFile (BROWSER_TYPE); Setup Audit Trail has no user agent.",
      ),
      target_object: f(
        "partial",
        "URI_ID_DERIVED, ENTITY_NAME",
        "Setup Audit Trail has free text only.",
        "Enable Event Monitoring (URI / API event log files) for object-level targets.",
      ),
      approval_ref: f(
        "no",
        null,
        "No ticket or approval reference.",
        "Feed approvals (ServiceNow or Jira) so setup changes can be matched to a ticket.",
      ),
      policy_decision: f(
        "partial",
        "PolicyOutcome, PolicyId",
        "Null in the sample; needs Transaction Security policies.",
        "Enable Transaction Security policies (Real-Time Event Monitoring) to fill PolicyOutcome.",
      ),
    },
    exportHow: "download EventLogFile daily (hourly files with Event Monitoring) and Setup Audit Trail at least every 180 days",
  },
  {
    platform: "aws-cloudtrail",
    label: "AWS CloudTrail",
    kind: "platform",
    fields: {
      session_id: f(
        "partial",
        "userIdentity.accessKeyId (ASIA) + sessionContext.attributes.creationDate, sourceIdentity",
        "No session id: a session is reconstructed from the temporary key.",
        "Set sourceIdentity on role assumption (IAM Identity Center or your IdP) so sessions stay traceable through role chains.",
      ),
      credential_id: f("yes", "userIdentity.accessKeyId", "", "Ingest the trail files as delivered to S3."),
      actor_kind: f(
        "yes",
        "userIdentity.type, invokedBy",
        "IAMUser, AssumedRole, Root, AWSService, IdentityCenterUser.",
        "Ingest the trail files as delivered to S3.",
      ),
      oauth_client: f(
        "no",
        null,
        "No OAuth client (Identity Center onBehalfOf not seen).",
        "Nothing to enable in CloudTrail; tie AWS sessions to IdP sign-ins through sourceIdentity or the SAML session name.",
      ),
      ip: f("yes", "sourceIPAddress", "AWS services show a service name instead of an IP.", "Ingest the trail files as delivered to S3."),
      user_agent: f("yes", "userAgent", "", "Ingest the trail files as delivered to S3."),
      target_object: f(
        "partial",
        "resources[], requestParameters",
        "resources[] is in about 8% of events; data events are not logged by default.",
        "Enable CloudTrail data events (S3 object, Lambda, DynamoDB) on an organization trail to get object-level targets.",
      ),
      approval_ref: f(
        "no",
        null,
        "No ticket or approval reference.",
        "Feed approvals (ServiceNow or Jira) and JIT grants so IAM changes can be matched to a ticket.",
      ),
      policy_decision: f(
        "partial",
        "errorCode AccessDenied",
        "Denials only, no allow decision.",
        "Nothing to enable: CloudTrail records only denials; feed OPA or SCP evaluation logs for allow decisions.",
      ),
    },
    exportHow: "create an organization trail delivering to S3 (kept as long as the bucket keeps it) and ingest from there",
  },
  {
    platform: "snowflake",
    label: "Snowflake ACCOUNT_USAGE",
    kind: "platform",
    fields: {
      session_id: f(
        "yes",
        "SESSIONS.SESSION_ID, LOGIN_EVENT_ID, QUERY_HISTORY.SESSION_ID",
        "SESSIONS latency up to 3 hours; SQL API temporary sessions not tracked.",
        "Export SESSIONS and LOGIN_HISTORY together so sessions join to logins.",
      ),
      credential_id: f(
        "partial",
        "FIRST/SECOND_AUTHENTICATION_FACTOR_ID",
        "",
        "Export LOGIN_HISTORY with the authentication factor columns.",
      ),
      actor_kind: f(
        "partial",
        "USER_NAME",
        "User name only; the user's TYPE is in the USERS view.",
        "Export ACCOUNT_USAGE.USERS (TYPE = PERSON / SERVICE) alongside the history views.",
      ),
      oauth_client: f(
        "partial",
        "AUTHORIZING_INTEGRATION_NAME",
        "",
        "Export SESSIONS with AUTHORIZING_INTEGRATION_NAME for OAuth integrations.",
      ),
      ip: f(
        "partial",
        "LOGIN_HISTORY.CLIENT_IP",
        "Client IP exists only in LOGIN_HISTORY.",
        "Export LOGIN_HISTORY: query and access history carry no IP and reach it only through the session.",
      ),
      user_agent: f("partial", "REPORTED_CLIENT_TYPE, CLIENT_ENVIRONMENT", "", "Export LOGIN_HISTORY and SESSIONS with client columns."),
      target_object: f(
        "yes",
        "ACCESS_HISTORY objectId / columns",
        "ACCESS_HISTORY omits some short transactional queries.",
        "Export ACCESS_HISTORY (Enterprise Edition) for object-level targets.",
      ),
      approval_ref: f(
        "no",
        null,
        "No ticket or approval reference.",
        "Feed approvals (ServiceNow or Jira) so grants and role changes can be matched to a ticket.",
      ),
      policy_decision: f(
        "partial",
        "policies_referenced, malicious_ip_protection_info",
        "",
        "Export ACCESS_HISTORY with policies_referenced.",
      ),
    },
    exportHow: "copy the ACCOUNT_USAGE views daily into a table or stage you keep",
  },
  {
    platform: "atlassian",
    label: "Atlassian audit log",
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
  {
    platform: "servicenow",
    label: "ServiceNow change requests and approvals",
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
  {
    platform: "jira",
    label: "Jira issues (approvals)",
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
  {
    platform: "pam-grants",
    label: "Sessionproof grant feed (PAM/JIT)",
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
  {
    platform: "opa",
    label: "Open Policy Agent decision logs",
    kind: "governance",
    fields: {
      session_id: f(
        "partial",
        "input.session_id, JWT sid",
        "Only when the input carries them.",
        "Pass the session id (or the token's sid claim) in the OPA input.",
      ),
      credential_id: f("partial", "JWT jti", "Only when the input carries a JWT.", "Pass the bearer token (or its jti) in the OPA input."),
      actor_kind: f(
        "partial",
        "input.user / input.subject",
        "Subject name; no kind unless the input says.",
        "Pass the subject's type in the OPA input.",
      ),
      oauth_client: f("partial", "JWT azp / client_id, input.client_id", "", "Pass client_id in the OPA input."),
      ip: f("partial", "Envoy source address, input.source_ip", "", "Pass the client IP in the OPA input (Envoy does it by default)."),
      user_agent: f("partial", "user-agent header, input.user_agent", "", "Pass the user-agent header in the OPA input."),
      target_object: f("partial", "input.resource, input.path", "", "Pass the resource in the OPA input."),
      approval_ref: f("no", null, "No ticket reference.", null),
      policy_decision: f(
        "yes",
        "result, decision_id, path",
        "",
        "Enable decision logging on every OPA instance (decision_logs.console or a service).",
      ),
    },
    exportHow: "ship decision logs to Sessionproof or a collector continuously",
  },
];

const BY_PLATFORM = new Map(PLATFORM_CAPABILITIES.map((p) => [p.platform, p]));

export function platformCapability(platform: string): PlatformCapability | null {
  return BY_PLATFORM.get(platform) ?? null;
}

/** The recommendation for a retention gap, in plain words; `r` names the shortest-kept log type (computeRetention). */
export function retentionRecommendation(cap: PlatformCapability, r: PlatformRetention): string {
  if (r.vendorStatus === "not_applicable") return `No vendor log window applies; ${cap.exportHow}.`;
  const log = r.logTypeLabel ? ` of its ${r.logTypeLabel}` : "";
  if (r.vendorDays === null)
    return `${cap.label}'s own retention${log} is not documented: ${cap.exportHow}, to keep ${r.requiredDays} days.`;
  return `${cap.label} keeps ${r.vendorDays} days${log} (${r.vendorTier}): ${cap.exportHow}, to keep ${r.requiredDays} days.`;
}
