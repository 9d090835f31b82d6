import { ocsfClass, type ActorKind, type EventResource, type NormalizedEvent, type OcsfClassUid } from "@/lib/events/schema";
import { NormalizeError } from "../types";
import { boolish, extraOf, field, ipOrNull, isRec, keyText, recAt, text, emailShaped } from "../util/fields";
import { unwrapPanther } from "../util/panther";
import { parseTime } from "../util/time";

// Slack Audit Logs API (Enterprise Grid), GET https://api.slack.com/audit/v1/logs: pages {"entries":[...],
// "response_metadata":{...}}, each entry {id, date_create (epoch seconds), action, actor{type, user{id, name,
// email, team}}, entity{type, <type>{id, name, …}}, context{location{type, id, name, domain}, ua, ip_address,
// session_id, app?}, details{…}}. Panther's copies write date_create as "YYYY-MM-DD HH:MM:SS" (UTC).
// session_id is the session key where present (rare in practice: see ../shared/reference/saas-log-fields.md);
// Slack writes no token id, so there is no credential. actor.type is always "user"; USLACKUSER means no user
// acted (Slack itself) and acting_agent/context.app name an app or Slackbot acting.

export const SLACK_PLATFORM = "slack";

const PRIVILEGED =
  /^(app_(installed|approved|scopes_expanded|resources_added|resources_granted|token_preserved)|org_app_|bot_token_|role_change_to_(admin|owner)|permissions_assigned|owner_transferred|service_owner_transferred|primary_owner_|pref\.|idp_configuration_|.*sso|.*two_factor|.*2fa|legal_hold_|retention_|information_barrier|barrier_|native_dlp_|ekm_|intune_|organization_(created|deleted)|.*export|user_session_reset_by_admin|bulk_session_reset_by_admin|private_channel_converted_to_public|custom_tos_|workspace_(created|deleted)|user_(created|deactivated|reactivated))/;

function classify(action: string): { uid: OcsfClassUid; activity: string } {
  if (action === "user_login") return { uid: 3002, activity: "logon" };
  if (action === "user_logout") return { uid: 3002, activity: "logoff" };
  if (/^role_change_to_(admin|owner)|permissions_assigned/.test(action)) return { uid: 3005, activity: "assign_privileges" };
  if (/^role_change_to_(user|guest)/.test(action)) return { uid: 3005, activity: "revoke_privileges" };
  if (/^user_(created|deactivated|reactivated|email_updated)|_session_(reset|invalidated)/.test(action)) return { uid: 3001, activity: verb(action) };
  if (/^(app_|org_app_|bot_token_)/.test(action)) return { uid: 6002, activity: verb(action) };
  if (/^(file_|channel_|message_|public_channel|private_channel|group_|mpim_|huddle_|canvas_)/.test(action)) return { uid: 6001, activity: verb(action) };
  return { uid: 6003, activity: verb(action) };
}

function verb(a: string): string {
  if (/download|export/.test(a)) return "export";
  if (/(created|installed|added|granted|approved|join)/.test(a)) return "create";
  if (/(deleted|uninstalled|removed|deactivated|revoked|restricted|leave)/.test(a)) return "delete";
  if (/(viewed|accessed|read|shared_externally)/.test(a)) return a.includes("shared") ? "update" : "read";
  return "update";
}

function resourceOf(entity: unknown): EventResource[] {
  if (!isRec(entity)) return [];
  const type = text(field(entity, "type"));
  if (!type) return [];
  const inner = recAt(entity, type);
  const id = keyText(field(inner, "id"));
  const name = text(field(inner, "name")) ?? text(field(inner, "title")) ?? text(field(inner, "domain")) ?? text(field(inner, "email"));
  return id || name ? [{ type: `slack:${type}`, id, name }] : [];
}

export function normalizeSlack(input: unknown): NormalizedEvent[] {
  const { record } = unwrapPanther(input, /^Slack\./, "Slack audit log");
  if (!isRec(record)) throw new NormalizeError("not a JSON object");
  const action = text(field(record, "action"));
  if (!action) throw new NormalizeError("not a Slack audit entry: action is missing");
  const time = parseTime(field(record, "date_create"), "date_create");
  const actor = recAt(record, "actor");
  const user = recAt(actor, "user");
  const userId = keyText(field(user, "id"));
  const email = text(field(user, "email"));
  const context = recAt(record, "context");
  const app = recAt(context, "app");
  const actingAgent = recAt(record, "acting_agent") ?? recAt(actor, "acting_agent");
  const details = recAt(record, "details");
  const sessionId = keyText(field(context, "session_id"));
  const location = recAt(context, "location");
  const entity = field(record, "entity");
  const entityApp = isRec(entity) && text(field(entity, "type")) === "app" ? recAt(entity, "app") : null;

  let kind: ActorKind = "unknown";
  if (userId === "USLACKUSER") kind = "system";
  else if (actingAgent || app) kind = "bot";
  else if (text(field(actor, "type")) === "user" && (userId || email)) kind = "human";

  const appId = keyText(field(app, "id")) ?? keyText(field(entityApp, "id"));
  const appName = text(field(app, "name")) ?? text(field(entityApp, "name"));
  const { uid, activity } = classify(action);
  const resources = resourceOf(entity);
  const channel = recAt(details, "channel") ?? null;
  if (channel) resources.push({ type: "slack:channel", id: keyText(field(channel, "id")), name: text(field(channel, "name")) });
  const scopes = field(details, "new_scopes") ?? field(details, "scopes") ?? field(entityApp, "scopes");

  return [
    {
      schema_version: 1,
      platform: SLACK_PLATFORM,
      ...ocsfClass(uid),
      activity,
      event_name: action,
      time,
      status: action === "anomaly" || /_blocked$|_denied$|failed/.test(action) ? "failure" : "success",
      status_detail: action === "anomaly" ? (text(field(details, "reason")) ?? (Array.isArray(field(details, "reason")) ? JSON.stringify(field(details, "reason")).slice(0, 200) : null)) : null,
      message: null,
      actor: { external_id: userId, name: text(field(user, "name")) ?? email, login: email ?? text(field(user, "name")), email: emailShaped(email), type: text(field(actor, "type")), kind_hint: kind },
      session: sessionId ? { key: sessionId, key_type: "slack.session_id", root_key: null, issuer: null } : null,
      credential: null, // Slack writes no token id
      issued_credentials: [],
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
        acting_agent: actingAgent ? JSON.stringify(actingAgent).slice(0, 300) : null,
        is_internal_integration: boolish(field(details, "is_internal_integration")),
        granular_bot_token: boolish(field(details, "granular_bot_token")),
        scopes: Array.isArray(scopes) ? scopes.slice(0, 60) : null,
        previous_scopes: Array.isArray(field(details, "previous_scopes")) ? (field(details, "previous_scopes") as unknown[]).slice(0, 60) : null,
      }),
    },
  ];
}
