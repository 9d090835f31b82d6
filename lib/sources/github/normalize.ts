import {
  ocsfClass,
  type ActorKind,
  type Credential,
  type IssuedCredential,
  type CredentialKind,
  type EventResource,
  type NormalizedEvent,
  type OcsfClassUid,
  type RiskSignal,
  toActivity,
} from "@/lib/events/schema";
import { NormalizeError } from "../types";
import { at, boolish, emailShaped, extraOf, field, isRec, keyText, text } from "../util/fields";
import { unwrapPanther } from "../util/panther";
import { riskField, riskSignal } from "../util/risk";
import { sourceIp } from "../util/source-ip";
import { parseTime } from "../util/time";

// GitHub audit log events (enterprise / organization), as streamed to storage (one JSON object per line) or
// returned by the REST API (GET /orgs/{org}/audit-log, /enterprises/{e}/audit-log: JSON array pages).
// Fields: docs.github.com "Audit log events for your enterprise/organization" and "Identifying audit log events
// performed by an access token". @timestamp is when the event occurred, created_at when it was recorded
// (both epoch milliseconds); Panther's copies rename @timestamp to at_sign_timestamp.

export const GITHUB_PLATFORM = "github";

function credentialKind(type: string): CredentialKind {
  if (/personal.access.token/i.test(type)) return "pat";
  if (/deploy.?key|ssh.?key/i.test(type)) return "ssh_key"; // a repository's deploy key or a user's SSH key
  if (/oauth|github.?app|server-to-server|user-to-server/i.test(type)) return "access_token";
  return "unknown";
}

function actorKind(actor: string | null, isBot: boolean | null, isAgent: boolean | null, accessType: string | null): ActorKind {
  if (isAgent === true) return "ai_agent";
  if (isBot === true || (actor !== null && actor.endsWith("[bot]"))) return "bot";
  if (accessType) {
    if (/server-to-server|^github_app$/i.test(accessType)) return "bot"; // an App installation acting as itself
    // "Identifying audit log events performed by an access token": an OAuth token or a GitHub App user-to-server
    // token acts *as the user* who authorized the app; the actor is that person and the app is the client.
    if (/oauth|user-to-server/i.test(accessType)) return "human";
    // A personal access token also acts as the user who made it: GitHub's actor is that user account, and the
    // token is the credential (kind pat), the non-human part. Whether a service borrowed someone's token is a
    // human-behind-NHI question for correlation, not something the record says.
    if (/personal.access.token/i.test(accessType)) return "human";
    if (/^ssh.?key$/i.test(accessType)) return "human"; // a user's own SSH key (deploy keys are "Deploy key")
    return "unknown"; // e.g. deploy keys: a machine key, but not which kind of machine
  }
  // GitHub actors are user accounts unless flagged as bots (above); no token type means the web session.
  return actor ? "human" : "unknown";
}

// Privileged: changes to roles, permissions, policies, apps' and tokens' access, credentials. Plain membership
// (org.add_member / team.add_member / *.remove_member) is privileged only when the role it grants or removes is an
// admin-level one (see adminRole); a team's or a collaborator's repository permission is always a permission change.
const PRIVILEGED =
  /^(business\.|business_|org\.(update_member|add_billing_manager|set_|update_default|enable|disable|update_actions|.*polic|.*permission|.*saml|.*sso|.*oauth)|team\.(?!add_member|remove_member)(add|remove|update|promote|demote|change)_|repo\.(add_member|remove_member|update_member|transfer|access|destroy|actions_enabled)|protected_branch\.|repository_ruleset\.|org_ruleset|hook\.|integration_installation|oauth_application|oauth_authorization\.|oauth_access\.|personal_access_token\.|public_key\.create|deploy_key\.|repo\.(add|remove)_deploy_key|org_credential_authorization|secret_scanning|repository_secret_scanning|dependabot|advanced_security|repository_vulnerability_alert\.dismiss|ip_allow_list|environment\.(update_protection|remove_protection)|members_can_|sso_|saml_)/;
const MEMBERSHIP = /^(org|team|business)\.(add|remove|invite)_(member|admin|owner|outside_collaborator)/;
const ADMIN_ROLE = /^(admin|owner|maintainer|billing_manager|enterprise_owner)$/i;

/** Whether a membership event grants or removes an admin-level role (its own name, or the role/permission fields). */
function adminRole(action: string, record: Record<string, unknown>): boolean {
  if (/_(admin|owner)\b/.test(action)) return true;
  for (const k of ["permission", "old_permission", "role", "old_role", "new_role"]) {
    const v = text(field(record, k));
    if (v !== null && ADMIN_ROLE.test(v)) return true;
  }
  return false;
}

function verb(op: string): string {
  if (/^(create|add|invite|install|generate|register)/.test(op)) return "create";
  if (/^(destroy|delete|remove|uninstall|suspend)/.test(op)) return "delete";
  if (/^(update|rename|transfer|change|set|edit|modify|reinstate|unsuspend|restore|enable|disable)/.test(op)) return "update";
  if (/^download/.test(op)) return "download";
  if (/^grant/.test(op)) return "assign_privileges"; // e.g. org_credential_authorization.grant
  if (/^(revoke|deauthorize)/.test(op)) return "revoke_privileges";
  if (/^(access|show|view|read|list)/.test(op)) return "read";
  return "other"; // the verb is not in the action name; event_name keeps the action
}

function classify(action: string, method: string | null): { uid: OcsfClassUid; activity: string } {
  const dot = action.indexOf(".");
  const cat = dot < 0 ? action : action.slice(0, dot);
  const op = dot < 0 ? "" : action.slice(dot + 1);
  if (action === "user.login" || action === "user.failed_login") return { uid: 3002, activity: "logon" };
  if (action === "user.logout") return { uid: 3002, activity: "logoff" };
  // Security log: the second factor of a sign-in is its own event.
  if (/^user\.two_factor_challenge_/.test(action)) return { uid: 3002, activity: "mfa" };
  // Git over HTTPS/SSH (streamed only): clone and fetch copy the repository out; push writes to it.
  if (cat === "git") return { uid: 6001, activity: op === "push" ? "update" : /^(clone|fetch)/.test(op) ? "download" : "read" };
  // api.request (streamed only): the REST verb says what the call did.
  if (cat === "api") return { uid: 6003, activity: apiVerb(method) };
  if (MEMBERSHIP.test(action) && /^(add|invite)/.test(op)) return { uid: 3006, activity: "add_user" };
  if (MEMBERSHIP.test(action)) return { uid: 3006, activity: "remove_user" };
  if (/^(org|business)$/.test(cat) && op === "update_member") return { uid: 3005, activity: "assign_privileges" };
  if (cat === "repo" && /^(add_member|update_member)/.test(op)) return { uid: 3005, activity: "assign_privileges" };
  if (cat === "repo" && op === "remove_member") return { uid: 3005, activity: "revoke_privileges" };
  if (cat === "team" && /^(add_repository|update_repository_permission)/.test(op)) return { uid: 3005, activity: "assign_privileges" };
  if (cat === "team" && op === "remove_repository") return { uid: 3005, activity: "revoke_privileges" };
  if (cat === "team") return { uid: 3006, activity: verb(op) };
  // An app gets access to the organization: installing a GitHub App, an owner approving an OAuth app, a user
  // authorizing one (consent); an owner approving a fine-grained PAT's access request (a grant to that token).
  if (
    action === "integration_installation.create" ||
    /^org\.oauth_app_access_approved/.test(action) ||
    action === "oauth_authorization.create"
  )
    return { uid: 3005, activity: "consent" };
  if (cat === "personal_access_token" && /^access_granted/.test(op)) return { uid: 3005, activity: "assign_privileges" };
  if (cat === "personal_access_token" && /^access_revoked/.test(op)) return { uid: 3005, activity: "revoke_privileges" };
  if (cat === "personal_access_token" && /^request_created/.test(op)) return { uid: 3005, activity: "request_privileges" };
  // Credentials: a new token or key (public_key.create is a deploy key on a repository, or a user's SSH key).
  if (/^(personal_access_token|oauth_access|public_key|deploy_key)$/.test(cat) && /^(create|generate|add)/.test(op))
    return { uid: 3001, activity: "issue_credentials" };
  if (
    /^(personal_access_token|oauth_access|oauth_authorization|public_key|deploy_key)$/.test(cat) &&
    /^(destroy|delete|remove|revoke)/.test(op)
  )
    return { uid: 3001, activity: "revoke_credentials" };
  if (/^(oauth_authorization|oauth_access|personal_access_token|public_key|deploy_key|two_factor_authentication|user)$/.test(cat))
    return { uid: 3001, activity: verb(op) };
  // Branch protection and rulesets are the repository's policy: creating, changing or removing one changes it;
  // an override (an admin bypassing the protection) is recorded as such.
  if (cat === "protected_branch" || cat === "repository_ruleset" || cat === "org_ruleset")
    return {
      uid: 6001,
      activity: /override|bypass/.test(op)
        ? "other"
        : /^(create|destroy|delete|update|add|remove|enable|disable|change|dismiss)/.test(op)
          ? "update"
          : verb(op),
    };
  if (cat === "repo" || cat === "hook") return { uid: 6001, activity: verb(op) };
  return { uid: 6003, activity: verb(op) };
}

function apiVerb(method: string | null): string {
  switch (method?.toUpperCase()) {
    case "GET":
    case "HEAD":
      return "read";
    case "POST":
      return "create";
    case "PUT":
    case "PATCH":
      return "update";
    case "DELETE":
      return "delete";
    default:
      return "other";
  }
}

/**
 * The object an action is about, when the record names it (most specific first, before repo/team/user/org):
 * the branch of a branch-protection rule, the ruleset, the workflow run, the GitHub App or OAuth app given
 * access, the personal access token, the SSH / deploy key.
 */
function objectOf(action: string, record: Record<string, unknown>, repo: string | null): EventResource[] {
  const cat = action.slice(0, Math.max(0, action.indexOf(".")));
  const one = (type: string, id: string | null, name: string | null): EventResource[] => (id || name ? [{ type, id, name }] : []);
  switch (cat) {
    case "protected_branch":
      return one("protected_branch", null, text(field(record, "branch")) ?? text(field(record, "name")));
    case "repository_ruleset":
    case "org_ruleset":
      return one("ruleset", keyText(field(record, "ruleset_id")), text(field(record, "ruleset_name")));
    case "workflows":
      return one("workflow_run", keyText(field(record, "workflow_run_id")), text(field(record, "name")));
    case "integration_installation":
    case "integration":
      return one(
        "integration",
        keyText(field(record, "application_client_id")) ?? keyText(field(record, "integration_id")),
        text(field(record, "integration")) ?? text(field(record, "name")),
      );
    case "oauth_authorization":
    case "oauth_application":
      return one(
        "oauth_application",
        keyText(field(record, "oauth_application_id")),
        text(field(record, "oauth_application_name")) ?? text(field(record, "oauth_application")),
      );
    case "oauth_access":
      return one(
        "oauth_access",
        keyText(field(record, "oauth_access_id")),
        text(field(record, "oauth_application_name")) ?? text(field(record, "oauth_application")),
      );
    case "personal_access_token":
      return one(
        "personal_access_token",
        keyText(field(record, "user_programmatic_access_id")),
        text(field(record, "user_programmatic_access_name")),
      );
    case "public_key":
    case "deploy_key":
      return one(repo ? "deploy_key" : "ssh_key", keyText(field(record, "fingerprint")), text(field(record, "title")));
    case "org":
      if (/oauth_app/.test(action))
        return one(
          "oauth_application",
          keyText(field(record, "oauth_application_id")),
          text(field(record, "oauth_application")) ?? text(field(record, "oauth_application_name")),
        );
      return [];
    default:
      return [];
  }
}

/**
 * Credentials an event creates, when the record carries an identifier of the new one: a deploy key or SSH key
 * (public_key.create: its fingerprint), a personal access token whose id is recorded (user_programmatic_access_id).
 * personal_access_token.create / oauth_access.create without that id name the token only: nothing to key it by.
 */
function issuedCredentials(
  action: string,
  record: Record<string, unknown>,
  used: Credential | null,
  principal: string | null,
): IssuedCredential[] {
  const parent = { parent_key: used?.key ?? null, parent_key_type: used?.key ? used.key_type : null };
  if (/^(public_key|deploy_key)\.create$/.test(action)) {
    const fp = keyText(field(record, "fingerprint"));
    if (!fp) return [];
    const deploy = keyText(field(record, "repo")) !== null;
    return [
      {
        key: fp,
        key_type: "github.ssh_key_fingerprint",
        kind: "ssh_key",
        native_type: deploy ? "Deploy key" : "SSH key",
        ...parent,
        principal,
        source_identity: null,
        expiration: null,
      },
    ];
  }
  if (action === "personal_access_token.create") {
    const id = keyText(field(record, "user_programmatic_access_id"));
    if (!id) return [];
    return [
      {
        key: id,
        key_type: "github.user_programmatic_access_id",
        kind: "pat",
        native_type: "personal access token",
        ...parent,
        principal,
        source_identity: null,
        expiration: text(field(record, "expires_at")),
      },
    ];
  }
  return [];
}

/**
 * GitHub's own risk signals in the audit log (https://docs.github.com/en/enterprise-cloud@latest/admin/monitoring-activity-in-your-enterprise/reviewing-audit-logs-for-your-enterprise/audit-log-events-for-your-enterprise):
 *  - github.secret_scanning_alert: secret_scanning_alert.create / .reopen, a secret GitHub found committed (open again);
 *  - github.push_protection_bypass: secret_scanning_push_protection.bypass, someone pushed a secret push protection
 *    blocked (GitHub then opens an alert too).
 * GitHub gives no level: a leaked secret is high. Reasons: the secret type when the entry names it, the bypass reason,
 * else the alert number. Alerts resolved, revoked or validated, and secret_scanning.* setting changes, are not new risk
 * (the settings are privileged actions instead).
 */
function secretScanningRisk(action: string, record: Record<string, unknown>): RiskSignal | null {
  const alert = /^secret_scanning_alert\.(create|reopen)$/.exec(action);
  const bypass = action === "secret_scanning_push_protection.bypass";
  if (!alert && !bypass) return null;
  const number = keyText(field(record, "number")) ?? keyText(field(record, "alert_number"));
  return riskSignal({
    signal: bypass ? "github.push_protection_bypass" : "github.secret_scanning_alert",
    label: bypass ? "GitHub push protection bypassed for a secret" : "GitHub secret scanning alert",
    severity: "high",
    vendorState: bypass ? "bypass" : alert![1],
    reasons: [
      text(field(record, "secret_type_display_name")) ?? text(field(record, "secret_type")),
      text(field(record, "reason")),
      number ? `alert #${number}` : null,
    ],
  });
}

export function normalizeGitHub(input: unknown): NormalizedEvent[] {
  const { record } = unwrapPanther(input, /^GitHub\./, "GitHub audit log");
  if (!isRec(record)) throw new NormalizeError("not a JSON object");
  const action = text(field(record, "action"));
  if (!action) throw new NormalizeError("not a GitHub audit log event: action is missing");
  const whenField =
    field(record, "@timestamp") !== undefined
      ? "@timestamp"
      : field(record, "at_sign_timestamp") !== undefined
        ? "at_sign_timestamp"
        : "created_at";
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
    credential = {
      key: null,
      key_type: null,
      kind: "ssh_key",
      native_type: "ssh",
      parent_key: null,
      parent_key_type: null,
      parent_kind: null,
    };
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
  // The object the action is about, when the record names one: the repository, team and user around it are
  // where it lives (a workflow run's or a rule's repository) or whom it belongs to (a new token's owner), not
  // what changed. The organization and enterprise every event carries are containers, unless nothing more
  // specific is named (org.* / business.* settings change the organization itself).
  const object = objectOf(action, record, repo);
  if (object.length > 0) for (const r of resources) r.role = r.type === "user" ? "related" : "container";
  resources.unshift(...object);
  const container = () => (resources.length > 0 ? ({ role: "container" } as const) : {});
  if (org || orgId) resources.push({ type: "organization", id: orgId, name: org, ...container() });
  if (business || businessId) resources.push({ type: "enterprise", id: businessId, name: business, ...container() });

  // GitHub's audit log has no outcome field: most events say only that the action was recorded (status unknown).
  // The outcome is known for api.request (status_code), for sign-in events whose name states it (user.login,
  // user.failed_login, two_factor_challenge_success/failure) and for rejections (protected_branch.rejected_ref_update).
  const statusCode = Number(text(field(record, "status_code")));
  let status: NormalizedEvent["status"] = "unknown";
  let statusDetail: string | null = null;
  if (Number.isFinite(statusCode) && statusCode > 0) {
    status = statusCode >= 400 ? "failure" : "success";
    statusDetail = String(statusCode);
  } else if (/failed|failure|rejected|denied/.test(action)) status = "failure";
  else if (action === "user.login" || /_success$/.test(action)) status = "success";
  const mfa = /^user\.two_factor_challenge_(success|failure)$/.test(action) ? action.endsWith("_success") : null;
  if (mfa !== null)
    credential = {
      key: null,
      key_type: null,
      kind: "mfa",
      native_type: "two_factor",
      parent_key: null,
      parent_key_type: null,
      parent_kind: null,
    };

  const country = text(at(record, "actor_location", "country_code"));
  const { uid, activity } = classify(action, text(field(record, "request_method")));

  return [
    {
      schema_version: 1,
      platform: GITHUB_PLATFORM,
      ...ocsfClass(uid),
      activity: toActivity(activity),
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
      issued_credentials: issuedCredentials(action, record, credential, repo ?? actor),
      auth: mfa !== null ? { factors: [], mfa, protocol: null } : null,
      client: appId || appName ? { app_id: appId, app_name: appName } : null,
      src_endpoint: {
        ip: sourceIp(field(record, "actor_ip"), { loopback: "keep" }),
        location: country ? { city: null, region: null, country } : null,
      },
      user_agent: text(field(record, "user_agent")),
      resources,
      privileged: MEMBERSHIP.test(action) ? adminRole(action, record) : PRIVILEGED.test(action),
      policy: null,
      jit: null,
      approval: null,
      ...riskField(secretScanningRisk(action, record)),
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
