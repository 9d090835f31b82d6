import { capability as f, definePlatform } from "../define-platform";
import { OKTA_PLATFORM } from "./normalize";
import { OKTA_PRIVILEGED } from "./privileged";
import { OKTA_RETENTION } from "./retention";

// Everything Sessionproof knows about this platform apart from reading its records (lib/sources/define-platform.ts).
export const OKTA_PROFILE = definePlatform({
  platform: OKTA_PLATFORM,
  label: "Okta System Log",
  displayName: "Okta",
  privileged: OKTA_PRIVILEGED,
  retention: OKTA_RETENTION,
  capabilities: {
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
  correlation: {
    idpSso: {
      rule: "okta_sso_event",
      appName: (e) =>
        e.event_name === "user.authentication.sso"
          ? (e.resources.find((r) => r.type === "AppInstance")?.name ?? e.resources[0]?.name ?? null)
          : null,
    },
  },
});
