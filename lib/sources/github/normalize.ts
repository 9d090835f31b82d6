import { ocsfClass, type ActorKind, type Credential, type CredentialKind, type EventResource, type NormalizedEvent, type OcsfClassUid } from "@/lib/events/schema";
import { NormalizeError } from "../types";
import { at, boolish, emailShaped, extraOf, field, ipOrNull, isRec, keyText, text } from "../util/fields";
import { unwrapPanther } from "../util/panther";
import { parseTime } from "../util/time";

// GitHub audit log events (enterprise / organization), as streamed to storage (one JSON object per line) or
// returned by the REST API (GET /orgs/{org}/audit-log, /enterprises/{e}/audit-log: JSON array pages).
// Fields: docs.github.com "Audit log events for your enterprise/organization" and "Identifying audit log events
// performed by an access token". @timestamp is when the event occurred, created_at when it was recorded
// (both epoch milliseconds); Panther's copies rename @timestamp to at_sign_timestamp.

export const GITHUB_PLATFORM = "github";

function credentialKind(type: string): CredentialKind {
  if (/personal.access.token/i.test(type)) return "pat";
  if (/deploy.?key/i.test(type)) return "ssh_key";
  if (/oauth|github.?app|server-to-server|user-to-server/i.test(type)) return "access_token";
  return "unknown";
}

function actorKind(actor: string | null, isBot: boolean | null, isAgent: boolean | null, accessType: string | null): ActorKind {
  if (isAgent === true) return "ai_agent";
  if (isBot === true || (actor !== null && actor.endsWith("[bot]"))) return "bot";
  if (accessType) {
    if (/server-to-server|^github_app$/i.test(accessType)) return "bot"; // an App installation acting as itself
    if (/oauth|user-to-server/i.test(accessType)) return "oauth_app"; // an app acting with a user's grant
    if (/personal.access.token/i.test(accessType)) return "api_token";
    return "unknown"; // e.g. deploy keys: a machine key, but not which kind of machine
  }
  // GitHub actors are user accounts unless flagged as bots (above); no token type means the web session.
  return actor ? "human" : "unknown";
}

const PRIVILEGED =
  /^(business\.|business_|org\.(update_member|add_member|remove_member|invite_member|add_billing_manager|set_|update_default|enable|disable|update_actions|.*polic|.*permission|.*saml|.*sso|.*oauth)|team\.(add|remove|update)_|repo\.(add_member|remove_member|update_member|transfer|access|destroy|actions_enabled)|protected_branch\.|repository_ruleset\.|org_ruleset|hook\.|integration_installation|oauth_application|personal_access_token\.|org_credential_authorization|secret_scanning|repository_secret_scanning|dependabot|advanced_security|repository_vulnerability_alert\.dismiss|ip_allow_list|environment\.(update_protection|remove_protection)|members_can_|sso_|saml_)/;

function verb(op: string): string {
  if (/^(create|add|invite|install|grant|generate|register)/.test(op)) return "create";
  if (/^(destroy|delete|remove|revoke|uninstall|suspend)/.test(op)) return "delete";
  if (/^(update|rename|transfer|change|set|edit|modify|reinstate|unsuspend|restore|enable|disable)/.test(op)) return "update";
  if (/^(access|clone|fetch|download|show|view|read|list|request)/.test(op)) return "read";
  const w = op.toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "");
  return /^[a-z]/.test(w) ? w : "other";
}

function classify(action: string): { uid: OcsfClassUid; activity: string } {
  const dot = action.indexOf(".");
  const cat = dot < 0 ? action : action.slice(0, dot);
  const op = dot < 0 ? "" : action.slice(dot + 1);
  if (action === "user.login" || action === "user.failed_login") return { uid: 3002, activity: "logon" };
  if (action === "user.logout") return { uid: 3002, activity: "logoff" };
  if (cat === "git") return { uid: 6001, activity: op === "push" ? "update" : "read" };
  if (/^(org|team|business)$/.test(cat) && /^(add_member|add_admin|add_owner)/.test(op)) return { uid: 3006, activity: "add_user" };
  if (/^(org|team|business)$/.test(cat) && /^(remove_member|remove_admin|remove_owner|remove_outside_collaborator)/.test(op)) return { uid: 3006, activity: "remove_user" };
  if (/^(org|business)$/.test(cat) && op === "update_member") return { uid: 3005, activity: "assign_privileges" };
  if (cat === "repo" && /^(add_member|update_member)/.test(op)) return { uid: 3005, activity: "assign_privileges" };
  if (cat === "repo" && op === "remove_member") return { uid: 3005, activity: "revoke_privileges" };
  if (cat === "team" && /^(add_repository|update_repository_permission)/.test(op)) return { uid: 3005, activity: "assign_privileges" };
  if (cat === "team" && op === "remove_repository") return { uid: 3005, activity: "revoke_privileges" };
  if (cat === "team") return { uid: 3006, activity: verb(op) };
  if (/^(oauth_authorization|oauth_access|personal_access_token|public_key|deploy_key|two_factor_authentication|user)$/.test(cat)) return { uid: 3001, activity: verb(op) };
  if (cat === "repo" || cat === "protected_branch" || cat === "hook" || cat === "repository_ruleset") return { uid: 6001, activity: verb(op) };
  if (cat === "api") return { uid: 6003, activity: "request" };
  return { uid: 6003, activity: verb(op) };
}

export function normalizeGitHub(input: unknown): NormalizedEvent[] {
  const { record } = unwrapPanther(input, /^GitHub\./, "GitHub audit log");
  if (!isRec(record)) throw new NormalizeError("not a JSON object");
  const action = text(field(record, "action"));
  if (!action) throw new NormalizeError("not a GitHub audit log event: action is missing");
  const whenField = field(record, "@timestamp") !== undefined ? "@timestamp" : field(record, "at_sign_timestamp") !== undefined ? "at_sign_timestamp" : "created_at";
  const time = parseTime(field(record, whenField), whenField === "created_at" ? "@timestamp / created_at" : whenField);

  const actor = keyText(field(record, "actor"));
  const isBot = boolish(field(record, "actor_is_bot"));
  const isAgent = boolish(field(record, "actor_is_agent"));
  const accessType = text(field(record, "programmatic_access_type"));
  const hashedToken = keyText(field(record, "hashed_token"));
  const tokenId = keyText(field(record, "token_id"));
  const protocol = text(field(record, "transport_protocol_name"));
  const nameId = keyText(field(record, "external_identity_nameid"));

  let credential: Credential | null = null;
  if (hashedToken || tokenId || accessType) {
    credential = {
      key: hashedToken ?? tokenId,
      key_type: hashedToken ? "github.hashed_token" : tokenId ? "github.token_id" : null,
      kind: accessType ? credentialKind(accessType) : "unknown",
      native_type: accessType,
      parent_key: null,
      parent_key_type: null,
      parent_kind: null,
    };
  } else if (action.startsWith("git.") && protocol?.toLowerCase() === "ssh") {
    credential = { key: null, key_type: null, kind: "ssh_key", native_type: "ssh", parent_key: null, parent_key_type: null, parent_kind: null };
  }

  const appId = keyText(field(record, "oauth_application_id"));
  const appName = text(field(record, "oauth_application_name")) ?? text(field(record, "integration"));

  const repo = keyText(field(record, "repo")) ?? keyText(field(record, "repository"));
  const repoId = keyText(field(record, "repo_id")) ?? keyText(field(record, "repository_id"));
  const user = keyText(field(record, "user"));
  const userId = keyText(field(record, "user_id"));
  const org = keyText(field(record, "org"));
  const orgId = keyText(field(record, "org_id"));
  const business = keyText(field(record, "business"));
  const businessId = keyText(field(record, "business_id"));
  const team = keyText(field(record, "team"));
  const hookId = keyText(field(record, "hook_id")) ?? keyText(at(record, "data", "hook_id"));
  const resources: EventResource[] = [];
  const userFirst = /member|admin|owner|invite|block|user|collaborator/.test(action);
  const userRes = user || (userId && userId !== "0") ? { type: "user", id: userId && userId !== "0" ? userId : null, name: user } : null;
  if (userFirst && userRes) resources.push(userRes);
  if (repo || repoId) resources.push({ type: "repository", id: repoId, name: repo });
  if (hookId) resources.push({ type: "hook", id: hookId, name: null });
  if (team) resources.push({ type: "team", id: null, name: team });
  if (!userFirst && userRes) resources.push(userRes);
  if (org || orgId) resources.push({ type: "organization", id: orgId, name: org });
  if (business || businessId) resources.push({ type: "enterprise", id: businessId, name: business });

  const statusCode = Number(text(field(record, "status_code")));
  let status: NormalizedEvent["status"] = "success"; // GitHub records an action once it happened
  let statusDetail: string | null = null;
  if (Number.isFinite(statusCode) && statusCode > 0) {
    status = statusCode >= 400 ? "failure" : "success";
    statusDetail = String(statusCode);
  }
  if (/failed|rejected/.test(action)) status = "failure"; // e.g. user.failed_login, protected_branch.rejected_ref_update

  const country = text(at(record, "actor_location", "country_code"));
  const { uid, activity } = classify(action);

  return [
    {
      schema_version: 1,
      platform: GITHUB_PLATFORM,
      ...ocsfClass(uid),
      activity,
      event_name: action,
      time,
      status,
      status_detail: statusDetail,
      message: null,
      actor: {
        external_id: keyText(field(record, "actor_id")),
        name: actor,
        login: actor,
        email: emailShaped(nameId),
        type: null, // GitHub has no actor type field; the bot/agent flags feed kind_hint
        kind_hint: actorKind(actor, isBot, isAgent, accessType),
      },
      session: hashedToken ? { key: hashedToken, key_type: "github.hashed_token", root_key: null, issuer: null } : null,
      credential,
      issued_credentials: [],
      auth: null,
      client: appId || appName ? { app_id: appId, app_name: appName } : null,
      src_endpoint: { ip: ipOrNull(text(field(record, "actor_ip"))), location: country ? { city: null, region: null, country } : null },
      user_agent: text(field(record, "user_agent")),
      resources,
      privileged: PRIVILEGED.test(action),
      policy: null,
      jit: null,
      approval: null,
      correlation_id: keyText(field(record, "request_id")),
      native_id: keyText(field(record, "_document_id")),
      extra: extraOf({
        created_at: whenField !== "created_at" ? field(record, "created_at") : null,
        operation_type: text(field(record, "operation_type")),
        programmatic_access_type: accessType,
        token_id: tokenId,
        token_scopes: text(field(record, "token_scopes")),
        actor_is_bot: isBot,
        actor_is_agent: isAgent,
        external_identity_nameid: nameId,
        external_identity_username: keyText(field(record, "external_identity_username")),
        integration: text(field(record, "integration")),
        org,
        repo,
        business,
        public_repo: boolish(field(record, "public_repo") ?? field(record, "repository_public")),
        visibility: text(field(record, "visibility")),
        transport_protocol_name: protocol,
        request_method: text(field(record, "request_method")),
        url_path: text(field(record, "url_path")),
        route: text(field(record, "route")),
        status_code: Number.isFinite(statusCode) && statusCode > 0 ? statusCode : null,
        ruleset_name: text(field(record, "ruleset_name")),
        ruleset_enforcement: text(field(record, "ruleset_enforcement")),
        workflow_run_id: keyText(field(record, "workflow_run_id")),
        conclusion: text(field(record, "conclusion")),
        event: text(field(record, "event")),
      }),
    },
  ];
}
