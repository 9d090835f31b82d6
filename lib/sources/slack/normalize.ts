import { ocsfClass, type ActorKind, type Credential, type EventResource, type IssuedCredential, type NormalizedEvent, type OcsfClassUid } from "@/lib/events/schema";
import { NormalizeError } from "../types";
import { boolish, emailShaped, extraOf, field, ipOrNull, isRec, keyText, recAt, text, type Rec } from "../util/fields";
import { unwrapPanther } from "../util/panther";
import { parseTime } from "../util/time";

// Slack Audit Logs API (Enterprise Grid), GET https://api.slack.com/audit/v1/logs: pages {"entries":[...],
// "response_metadata":{...}}, each entry {id, date_create (epoch seconds), action, actor{type, user{id, name,
// email, team}}, entity{type: user|workspace|enterprise|channel|file|app|workflow|barrier|message|huddle|role|
// account_type_role|usergroup|…, <type>{id, name, …}}, context{location{type, id, name, domain}, ua, ip_address,
// session_id, app?}, details{…}}. Panther's copies write date_create as "YYYY-MM-DD HH:MM:SS" (UTC).
//
// Session: context.session_id (a number in the API) is the session key where present (rare in practice: see
// ../shared/reference/saas-log-fields.md); 0 is no session. Actor: actor.type is "user" in the documented
// API; USLACKUSER means no user acted (Slack itself). An app or bot acting is named by actor.type ("app", "bot",
// "workflow"), by acting_agent (Slackbot), or by context.app: kind_hint bot when the record says a bot (actor or
// acting agent of type bot, details.bot_id, a granular bot token), else oauth_app for an app. A person installing
// or approving an app stays human: the app is the entry's subject (client, resource, extra).
// Credential: Slack writes no token id. An app's installation is the OAuth grant its tokens come from, so it is
// identified by the app id (key_type slack.app): app_installed/org_app_installed/app_approved mint it
// (issued_credentials, kind oauth_grant), scope and token changes act on it (kind oauth_grant), and an action an
// app performed (context.app / an app actor) used a token of it (kind access_token).

export const SLACK_PLATFORM = "slack";

// Privileged: what grants or widens access, changes who is an admin, moves data out of Slack, or weakens
// authentication and data controls.
const PRIVILEGED = new RegExp(
  [
    // app installs, approvals, scope and token changes, allow-list rules
    "^(app_(installed|approved|scopes_expanded|resources_added|resources_granted|token_preserved|allowlist_rule_|collaborator_added|manifest_)|org_app_(installed|workspace_added|upgraded_to_org_install|future_workspace_install_enabled)|bot_token_upgraded|workflow_app_token_preserved|cli_app_(install|deploy))",
    // roles, permissions, ownership
    "^(role_change_to_|role_(assigned|removed|created|updated|deleted)$|role_(added_to|removed_from|modified_on)_usergroup|permissions_(assigned|removed)|owner_transferred|service_owner_transferred|primary_owner_)",
    // exports and downloads of workspace data (workspace, channel, user, audit-log, analytics exports; corporate exports)
    "(^|_)exports?_|_export$|^corporate_exports_|^workflow_responses_csv_download",
    // identity: SSO / IdP, 2FA, sessions, domains, IP ranges
    "^(idp_|seamless_auth_|team_authorized_ip_range_set|flexible_access_control_set|user_session_reset_by_admin|bulk_session_reset_by_admin|domain_(created|verified|deleted))",
    // workspace settings that weaken authentication, file download or data controls
    "^pref\\.(sso|two_factor|session_duration|mobile_session_duration|mobile_secondary_auth|.*download|disallow_public_file_urls|.*retention|app_whitelist|app_dir_only|sign_in_with_slack|dlp_|ent_browser|ent_required_browser|workspace_access|who_can_manage_guests|who_can_manage_ext_shared|slack_connect|allow_sponsored_slack_connections|enterprise_mobile_device_check|ext_audit_log)",
    // compliance controls
    "^(legal_hold_|.*retention_changed|barrier_|information_barrier|native_dlp_|ekm_(unenrolled|key_removed|logging_config_set)|intune_disabled|custom_tos_)",
    // accounts and tenants
    "^(organization_(created|deleted)|workspace_(created|deleted)|user_(created|deactivated|reactivated)$|guest_(created|reactivated)$)",
    // data exposure
    "^(private_channel_converted_to_public|file_public_link_created|approved_orgs_added|external_shared_channel_(connected|invite_approved|access_upgraded))",
  ].join("|"),
);

/** App install/approval actions that mint the app's grant in the workspace or organization. */
const GRANT_MINTED = /^(app_installed|org_app_installed|app_approved|cli_app_install)$/;
/** App actions that change the grant itself (scopes, tokens, resources, removal). */
const GRANT_CHANGED = /^(app_(scopes_expanded|resources_added|resources_granted|token_preserved|uninstalled|restricted|removed_from_whitelist)|org_app_(uninstalled|workspace_added|workspace_removed|upgraded_to_org_install)|bot_token_(upgraded|downgraded)|workflow_app_token_preserved)$/;

function classify(action: string): { uid: OcsfClassUid; activity: string } {
  if (action === "user_login" || action === "user_login_failed" || action === "cli_login") return { uid: 3002, activity: "logon" };
  if (/^user_logout|^cli_logout$/.test(action)) return { uid: 3002, activity: "logoff" };
  if (action === "anomaly") return { uid: 2004, activity: "create" };
  if (/^role_change_to_(admin|owner)|^permissions_assigned|^role_assigned|^role_added_to_usergroup/.test(action)) return { uid: 3005, activity: "assign_privileges" };
  if (/^role_change_to_(user|guest)|^permissions_removed|^role_removed/.test(action)) return { uid: 3005, activity: "revoke_privileges" };
  if (/^(user_|guest_)(created|deactivated|reactivated|expired|email_updated|username_updated|profile_|password_)|_session_(reset|invalidated)|^user_session_/.test(action)) return { uid: 3001, activity: verb(action) };
  if (/usergroup/.test(action)) return { uid: 3006, activity: verb(action) };
  if (/^(app_|org_app_|bot_token_|cli_app_|workflow_app_)/.test(action)) return { uid: 6002, activity: verb(action) };
  if (/^file_/.test(action)) return { uid: 6006, activity: verb(action) };
  if (/^(channel_|message_|public_channel|private_channel|group_|mpim_|huddle_|canvas_|external_shared_channel|user_channel_|guest_channel_)/.test(action)) return { uid: 6001, activity: verb(action) };
  return { uid: 6003, activity: verb(action) };
}

function verb(a: string): string {
  if (a.startsWith("pref.")) return "update"; // a setting changed (pref.block_file_download_… is not a download)
  if (/download|export/.test(a)) return "export";
  if (/(deleted|uninstalled|removed|deactivated|revoked|restricted|leave)/.test(a)) return "delete";
  if (/(created|installed|added|granted|approved|join|uploaded)/.test(a)) return "create";
  if (/(viewed|accessed|opened|preview|searched)/.test(a)) return "read";
  return "update";
}

function entityResource(type: string, inner: Rec | null): EventResource | null {
  if (!inner) return null;
  if (type === "message") {
    // A message is identified by its channel and timestamp.
    const channel = keyText(field(inner, "channel"));
    const ts = keyText(field(inner, "timestamp")) ?? keyText(field(inner, "ts"));
    return channel || ts ? { type: "slack:message", id: channel && ts ? `${channel}/${ts}` : (ts ?? channel), name: null } : null;
  }
  const id = keyText(field(inner, "id"));
  const name = text(field(inner, "name")) ?? text(field(inner, "title")) ?? text(field(inner, "domain")) ?? text(field(inner, "email"));
  return id || name ? { type: `slack:${type}`, id, name } : null;
}

export function normalizeSlack(input: unknown): NormalizedEvent[] {
  const { record } = unwrapPanther(input, /^Slack\./, "Slack audit log");
  if (!isRec(record)) throw new NormalizeError("not a JSON object");
  const action = text(field(record, "action"));
  if (!action) throw new NormalizeError("not a Slack audit entry: action is missing");
  const time = parseTime(field(record, "date_create"), "date_create");
  const actor = recAt(record, "actor");
  const actorType = text(field(actor, "type"));
  // actor.user for a person; an app/bot actor may carry its own object under its type (actor.app, actor.bot).
  const user = recAt(actor, "user") ?? (actorType ? recAt(actor, actorType) : null);
  const userId = keyText(field(user, "id"));
  const email = text(field(user, "email"));
  const context = recAt(record, "context");
  const ctxApp = recAt(context, "app");
  const actingAgent = recAt(record, "acting_agent") ?? recAt(actor, "acting_agent");
  const details = recAt(record, "details");
  const rawSession = keyText(field(context, "session_id"));
  const sessionId = rawSession && rawSession !== "0" ? rawSession : null;
  const location = recAt(context, "location");
  const entity = recAt(record, "entity");
  const entityType = text(field(entity, "type"));
  const entityInner = entityType ? recAt(entity, entityType) : null;
  const entityApp = entityType === "app" ? entityInner : null;

  // Who acted.
  const agentType = text(field(actingAgent, "type"));
  const botSaid =
    actorType === "bot" ||
    /bot/i.test(agentType ?? "") ||
    keyText(field(details, "bot_id")) !== null ||
    (ctxApp !== null && boolish(field(details, "granular_bot_token")) === true);
  let kind: ActorKind = "unknown";
  if (userId === "USLACKUSER") kind = "system";
  else if (botSaid || actorType === "workflow" || actingAgent) kind = "bot";
  else if (actorType === "app" || ctxApp) kind = "oauth_app";
  else if (actorType === "user" && (userId || email)) kind = "human";
  else if (userId || email) kind = "human";
  const appActing = kind === "bot" || kind === "oauth_app";

  // The app: the one acting (context.app / an app actor), else the one the entry is about.
  const actorApp = actorType === "app" ? user : null;
  const app = ctxApp ?? actorApp ?? entityApp;
  const appId = keyText(field(app, "id")) ?? keyText(field(details, "app_id"));
  const appName = text(field(app, "name"));

  // The app's grant (see above).
  let credential: Credential | null = null;
  const issued: IssuedCredential[] = [];
  const subjectAppId = keyText(field(entityApp, "id")) ?? keyText(field(details, "app_id"));
  if (subjectAppId && GRANT_MINTED.test(action)) {
    issued.push({ key: subjectAppId, key_type: "slack.app", kind: "oauth_grant", native_type: null, parent_key: null, parent_key_type: null, principal: text(field(entityApp, "name")), source_identity: null, expiration: null });
  } else if (subjectAppId && GRANT_CHANGED.test(action)) {
    credential = { key: subjectAppId, key_type: "slack.app", kind: "oauth_grant", native_type: null, parent_key: null, parent_key_type: null, parent_kind: null };
  } else if (appActing && (ctxApp || actorApp) && appId) {
    credential = { key: appId, key_type: "slack.app", kind: "access_token", native_type: null, parent_key: null, parent_key_type: null, parent_kind: null };
  }

  const { uid, activity } = classify(action);
  const resources: EventResource[] = [];
  const main = entityType ? entityResource(entityType, entityInner) : null;
  if (main) resources.push(main);
  const channel = recAt(details, "channel");
  const channelId = keyText(field(channel, "id")) ?? keyText(field(details, "channel_id"));
  if (channelId || text(field(channel, "name"))) resources.push({ type: "slack:channel", id: channelId, name: text(field(channel, "name")) });
  const scopes = field(details, "new_scopes") ?? field(details, "scopes") ?? field(entityApp, "scopes");
  const cap = (v: unknown, n = 60) => (Array.isArray(v) ? v.slice(0, n) : null);
  const reason = field(details, "reason");
  const failed = action === "user_login_failed" || /_blocked$|_blocked_|_denied$|_failed$|_failure$/.test(action);
  const short = (v: unknown) => (v === undefined || v === null ? null : typeof v === "object" ? JSON.stringify(v).slice(0, 300) : v);

  return [
    {
      schema_version: 1,
      platform: SLACK_PLATFORM,
      ...ocsfClass(uid),
      activity,
      event_name: action,
      time,
      status: failed ? "failure" : action === "anomaly" ? "unknown" : "success",
      status_detail: action === "anomaly" ? (text(reason) ?? (Array.isArray(reason) ? reason.map((r) => text(r)).filter(Boolean).join(", ").slice(0, 200) || null : null)) : null,
      message: null,
      actor: { external_id: userId, name: text(field(user, "name")) ?? email, login: email ?? text(field(user, "name")), email: emailShaped(email), type: actorType, kind_hint: kind },
      session: sessionId ? { key: sessionId, key_type: "slack.session_id", root_key: null, issuer: null } : null,
      credential,
      issued_credentials: issued,
      auth: null,
      client: appId || appName ? { app_id: appId, app_name: appName } : null,
      src_endpoint: { ip: ipOrNull(text(field(context, "ip_address"))), location: null },
      user_agent: text(field(context, "ua")),
      resources,
      privileged: PRIVILEGED.test(action),
      policy: null,
      jit: null,
      approval: null,
      correlation_id: null,
      native_id: keyText(field(record, "id")),
      extra: extraOf({
        team: keyText(field(user, "team")),
        location_type: text(field(location, "type")),
        location_id: keyText(field(location, "id")),
        location_name: text(field(location, "name")),
        location_domain: text(field(location, "domain")),
        entity_type: entityType,
        acting_agent: actingAgent ? JSON.stringify(actingAgent).slice(0, 300) : null,
        app_acting: ctxApp ? extraOf({ id: keyText(field(ctxApp, "id")), name: text(field(ctxApp, "name")) }) : null,
        is_internal_integration: boolish(field(details, "is_internal_integration")),
        is_distributed: boolish(field(entityApp, "is_distributed")),
        is_directory_approved: boolish(field(entityApp, "is_directory_approved")),
        app_owner_id: keyText(field(details, "app_owner_id")) ?? keyText(field(details, "app_owner")),
        installer_user_id: keyText(field(details, "installer_user_id")),
        approver_id: keyText(field(details, "approver_id")),
        bot_id: keyText(field(details, "bot_id")),
        granular_bot_token: boolish(field(details, "granular_bot_token")),
        is_token_rotation_enabled_app: boolish(field(details, "is_token_rotation_enabled_app")),
        scopes: cap(scopes),
        bot_scopes: cap(field(details, "bot_scopes") ?? field(details, "scopes_bot")),
        previous_scopes: cap(field(details, "previous_scopes") ?? field(details, "old_scopes")),
        export_type: text(field(details, "export_type")),
        export_start_ts: text(field(details, "export_start_ts")),
        export_end_ts: text(field(details, "export_end_ts")),
        setting: text(field(details, "name")),
        new_value: short(field(details, "new_value")),
        previous_value: short(field(details, "previous_value")),
        reason: Array.isArray(reason) ? reason.slice(0, 10) : text(reason),
      }),
    },
  ];
}
