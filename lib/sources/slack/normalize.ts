import {
  ocsfClass,
  type ActorKind,
  type Credential,
  type EventResource,
  type IssuedCredential,
  type NormalizedEvent,
  type OcsfClassUid,
  type RiskSignal,
  toActivity,
} from "@/lib/events/schema";
import { NormalizeError } from "../types";
import { boolish, emailShaped, extraOf, field, isRec, keyText, recAt, text, type Rec } from "../util/fields";
import { unwrapPanther } from "../util/panther";
import { riskField, riskSignal } from "../util/risk";
import { sourceIp } from "../util/source-ip";
import { parseTime } from "../util/time";

// Slack Audit Logs API (Enterprise Grid), GET https://api.slack.com/audit/v1/logs: pages {"entries":[...],
// "response_metadata":{...}}, each entry {id, date_create (epoch seconds), action, actor{type, user{id, name,
// email, team}}, entity{type: user|workspace|enterprise|channel|file|app|workflow|barrier|message|huddle|role|
// account_type_role|usergroup|…, <type>{id, name, …}}, context{location{type, id, name, domain}, ua, ip_address,
// session_id, app?}, details{…}}. Panther's copies write date_create as "YYYY-MM-DD HH:MM:SS" (UTC).
//
// Session: context.session_id (a number in the API) is the session key where present (rare in practice: see
// ../shared/reference/saas-log-fields.md); 0 is no session. Actor: actor.type is "user" in the documented
// API; USLACKUSER means no user acted (Slack itself, kind system); USLACKBOT and B… ids are bots. An app or bot
// acting is named by actor.type ("app", "bot", "workflow"), by acting_agent (Slackbot), or by context.app with a
// bot token (details.granular_bot_token / bot_id): kind bot; an app actor otherwise is oauth_app. A person acting
// through an app with their own user token (context.app, no bot token) is the person (human), the app the client.
// A person installing, approving or changing an app stays human: the app is the entry's subject (client,
// resource, extra).
// Credential: Slack writes no token id. An app's installation is the OAuth grant its tokens come from, so it is
// identified by the app id (key_type slack.app): app_installed/org_app_installed mint it (issued_credentials, kind
// oauth_grant); an install with a bot, or bot_token_upgraded, also issues the bot's token, keyed by details.bot_id
// (slack.bot_id, access_token). An action the app performed used a token of it: the bot's token (bot id) for a
// bot, else the grant (app id: access_token for an app actor, oauth_grant for a person's token to the app). A
// person managing the app (scopes, tokens, uninstall) uses their own session, not the app's grant: no credential.
// Anomaly entries are Slack's own risk verdicts: risk {signal slack.anomaly, reasons}; previous IP/UA in extra.

export const SLACK_PLATFORM = "slack";

// Privileged: what grants or widens access, changes who is an admin, moves data out of Slack, or weakens
// authentication and data controls.
const PRIVILEGED = new RegExp(
  [
    // app installs, approvals, scope and token changes, allow-list rules
    "^(app_(installed|approved|scopes_expanded|resources_added|resources_granted|token_preserved|allowlist_rule_|collaborator_added|manifest_|uninstalled)|org_app_(installed|workspace_added|upgraded_to_org_install|future_workspace_install_enabled|uninstalled)|bot_token_upgraded|workflow_app_token_preserved|cli_app_(install|deploy))",
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
    // tenants (a user account created or deactivated is account management, not privilege: no role comes with it)
    "^(organization_(created|deleted)|workspace_(created|deleted))",
    // data exposure of whole channels / organizations (one file's public link is sharing, like a single file share elsewhere)
    "^(private_channel_converted_to_public|approved_orgs_added|external_shared_channel_(connected|invite_approved|access_upgraded))",
  ].join("|"),
);

/**
 * App installs that mint the app's grant in the workspace or organization (app_approved only approves an app
 * request: the grant comes with the install that follows).
 */
const GRANT_MINTED = /^(app_installed|org_app_installed|cli_app_install)$/;
/** Actions that issue a bot token (an install with bot scopes, a legacy bot token upgraded to a granular one). */
const BOT_TOKEN_ISSUED = /^(app_installed|org_app_installed|bot_token_upgraded)$/;

function classify(action: string): { uid: OcsfClassUid; activity: string } {
  if (action === "user_login" || action === "user_login_failed" || action === "cli_login") return { uid: 3002, activity: "logon" };
  if (/^user_logout|^cli_logout$/.test(action)) return { uid: 3002, activity: "logoff" };
  // Slack's anomaly event is Slack's own risk signal about the user (not something the user did).
  if (action === "anomaly") return { uid: 2004, activity: "other" };
  if (/^role_change_to_(admin|owner)|^permissions_assigned|^role_assigned|^role_added_to_usergroup/.test(action))
    return { uid: 3005, activity: "assign_privileges" };
  if (/^role_change_to_(user|guest)|^permissions_removed|^role_removed/.test(action)) return { uid: 3005, activity: "revoke_privileges" };
  // An admin resetting a user's sessions signs them out everywhere: their session tokens are revoked.
  if (/^(user|bulk)_session_(reset|invalidated)/.test(action)) return { uid: 3001, activity: "revoke_credentials" };
  if (
    /^(user_|guest_)(created|deactivated|reactivated|expired|email_updated|username_updated|profile_|password_)|^user_session_/.test(action)
  )
    return { uid: 3001, activity: verb(action) };
  if (/usergroup/.test(action)) return { uid: 3006, activity: verb(action) };
  // Apps: an install, approval or scope/resource widening consents to the app's access; a new bot token is a
  // credential issued; an uninstall or restriction revokes the app's access.
  if (BOT_TOKEN_ISSUED.test(action) && action.startsWith("bot_token")) return { uid: 6002, activity: "issue_credentials" };
  if (
    /^(app_(installed|approved|scopes_expanded|resources_added|resources_granted)|org_app_(installed|workspace_added|upgraded_to_org_install)|cli_app_install)/.test(
      action,
    )
  )
    return { uid: 6002, activity: "consent" };
  if (
    /^(app_(uninstalled|restricted|removed_from_whitelist|resources_removed)|org_app_(uninstalled|workspace_removed)|bot_token_downgraded)/.test(
      action,
    )
  )
    return { uid: 6002, activity: "revoke_privileges" };
  if (/^(app_|org_app_|bot_token_|cli_app_|workflow_app_)/.test(action)) return { uid: 6002, activity: verb(action) };
  if (/^file_/.test(action)) return { uid: 6006, activity: verb(action) };
  if (
    /^(channel_|message_|public_channel|private_channel|group_|mpim_|huddle_|canvas_|external_shared_channel|user_channel_|guest_channel_)/.test(
      action,
    )
  )
    return { uid: 6001, activity: verb(action) };
  return { uid: 6003, activity: verb(action) };
}

function verb(a: string): string {
  if (a.startsWith("pref.")) return "update"; // a setting changed (pref.block_file_download_… is not a download)
  if (/download/.test(a)) return "download"; // a file or an export's archive taken out of Slack
  if (/export/.test(a)) return "export"; // an export started / scheduled
  if (/upload/.test(a)) return "upload";
  if (/(public_link|shared|_share)/.test(a)) return "share";
  // Deactivation / reactivation change an account's state: the account stays (Slack never deletes it here).
  if (/(deactivated|reactivated|expired)/.test(a)) return "update";
  if (/(deleted|uninstalled|removed|revoked|restricted|leave)/.test(a)) return "delete";
  if (/(created|installed|added|granted|approved|join)/.test(a)) return "create";
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

/** What a Slack credential is keyed by, the same whether an event issues it or uses it. */
type CredentialKey = Pick<IssuedCredential, "key" | "key_type" | "kind" | "native_type" | "parent_key" | "parent_key_type">;

/** An app's bot token: it belongs to the bot user (details.bot_id), and Slack writes no token id, so the bot id keys it. */
function botToken(botId: string): CredentialKey {
  return { key: botId, key_type: "slack.bot_id", kind: "access_token", native_type: "bot token", parent_key: null, parent_key_type: null };
}

/** An app's grant (a user's token to the app) or token, keyed by the app id. */
function appCredential(appId: string, kind: CredentialKey["kind"]): CredentialKey {
  return { key: appId, key_type: "slack.app", kind, native_type: null, parent_key: null, parent_key_type: null };
}

/**
 * Slack's anomaly event is Slack's own risk verdict about a user's activity (Audit Logs API, action "anomaly", with
 * details.reason naming what was unusual: asn, ip_address, tor, unexpected_client, session_fingerprint, …;
 * https://docs.slack.dev/reference/audit-logs-api/anomalous-events-reference). Slack gives no level: the severity is medium.
 */
function anomalyRisk(action: string, reason: unknown): RiskSignal | null {
  if (action !== "anomaly") return null;
  const reasons = (Array.isArray(reason) ? reason.slice(0, 20) : [reason]).map((r) => text(r));
  return riskSignal({ signal: "slack.anomaly", label: "Slack anomaly", severity: "medium", reasons });
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
  // details.bot_id / granular_bot_token describe the app's bot: they say a bot acted only when an app acted
  // (context.app); on app_installed or bot_token_upgraded they describe the app a person is managing.
  const botSaid =
    actorType === "bot" ||
    /bot/i.test(agentType ?? "") ||
    (ctxApp !== null && (boolish(field(details, "granular_bot_token")) === true || keyText(field(details, "bot_id")) !== null));
  let kind: ActorKind = "unknown";
  if (userId === "USLACKUSER")
    kind = "system"; // Slack's "no user acted" identity
  else if (userId === "USLACKBOT")
    kind = "bot"; // Slackbot
  else if (userId !== null && /^B[A-Z0-9]{6,}$/.test(userId))
    kind = "bot"; // Slack ids starting with B are bot ids
  else if (botSaid || actorType === "workflow" || actingAgent) kind = "bot";
  else if (actorType === "app") kind = "oauth_app";
  // A person acting through an app with their own user token (context.app without a bot token) is the person;
  // the app is the client and the credential is the person's grant to it.
  else if (userId || email) kind = "human";
  const appActing = kind === "bot" || kind === "oauth_app" || (ctxApp !== null && kind === "human");

  // The app: the one acting (context.app / an app actor), else the one the entry is about.
  const actorApp = actorType === "app" ? user : null;
  const app = ctxApp ?? actorApp ?? entityApp;
  const appId = keyText(field(app, "id")) ?? keyText(field(details, "app_id"));
  const appName = text(field(app, "name"));

  // The app's grant (see above). A person managing an app (scopes, tokens, uninstall) does not use its grant:
  // the app is the entry's subject (resource), not the actor's credential.
  let credential: Credential | null = null;
  const issued: IssuedCredential[] = [];
  const subjectAppId = keyText(field(entityApp, "id")) ?? keyText(field(details, "app_id"));
  const botId = keyText(field(details, "bot_id"));
  const issue = (key: CredentialKey) =>
    issued.push({ ...key, principal: text(field(entityApp, "name")), source_identity: null, expiration: null });
  if (botId && BOT_TOKEN_ISSUED.test(action)) issue(botToken(botId));
  if (subjectAppId && GRANT_MINTED.test(action)) issue(appCredential(subjectAppId, "oauth_grant"));
  else if (appActing && (ctxApp || actorApp) && appId) {
    // The app acted: with its bot's token (bot id when recorded), else with the grant (a user's token to the app).
    const key = kind === "bot" && botId ? botToken(botId) : appCredential(appId, kind === "human" ? "oauth_grant" : "access_token");
    credential = { ...key, parent_kind: null };
  }

  const { uid, activity } = classify(action);
  const resources: EventResource[] = [];
  const main = entityType ? entityResource(entityType, entityInner) : null;
  if (main) resources.push(main);
  const channel = recAt(details, "channel");
  const channelId = keyText(field(channel, "id")) ?? keyText(field(details, "channel_id"));
  if (channelId || text(field(channel, "name")))
    resources.push({ type: "slack:channel", id: channelId, name: text(field(channel, "name")) });
  const scopes = field(details, "new_scopes") ?? field(details, "scopes") ?? field(entityApp, "scopes");
  const cap = (v: unknown, n = 60) => (Array.isArray(v) ? v.slice(0, n) : null);
  const reason = field(details, "reason");
  // Entries carry no outcome field: success / failure only where the action's name states it (a login entry is
  // written for a completed sign-in; *_failed, *_blocked, *_denied for refusals); otherwise unknown.
  const failed = action === "user_login_failed" || /_blocked$|_blocked_|_denied$|_failed$|_failure$/.test(action);
  const succeeded = action === "user_login" || action === "cli_login";
  const short = (v: unknown) => (v === undefined || v === null ? null : typeof v === "object" ? JSON.stringify(v).slice(0, 300) : v);

  return [
    {
      schema_version: 1,
      platform: SLACK_PLATFORM,
      ...ocsfClass(uid),
      activity: toActivity(activity),
      event_name: action,
      time,
      status: failed ? "failure" : succeeded ? "success" : "unknown",
      status_detail:
        action === "anomaly"
          ? (text(reason) ??
            (Array.isArray(reason)
              ? reason
                  .map((r) => text(r))
                  .filter(Boolean)
                  .join(", ")
                  .slice(0, 200) || null
              : null))
          : null,
      message: null,
      actor: {
        external_id: userId,
        name: text(field(user, "name")) ?? email,
        login: email ?? text(field(user, "name")),
        email: emailShaped(email),
        type: actorType,
        kind_hint: kind,
      },
      session: sessionId ? { key: sessionId, key_type: "slack.session_id", root_key: null, issuer: null } : null,
      credential,
      issued_credentials: issued,
      auth: null,
      client: appId || appName ? { app_id: appId, app_name: appName } : null,
      src_endpoint: { ip: sourceIp(field(context, "ip_address"), { loopback: "keep" }), location: null },
      user_agent: text(field(context, "ua")),
      resources,
      privileged: PRIVILEGED.test(action),
      policy: null,
      jit: null,
      approval: null,
      ...riskField(anomalyRisk(action, reason)),
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
        // What Slack compared the anomaly against (Audit Logs anomaly details).
        anomaly_location: action === "anomaly" ? text(field(details, "location")) : null,
        previous_ip_address: text(field(details, "previous_ip_address")),
        previous_ua: text(field(details, "previous_ua")),
      }),
    },
  ];
}
