import { capability as f, definePlatform } from "../define-platform";
import { OPA_PLATFORM } from "./normalize";
import { OPA_PRIVILEGED } from "./privileged";

// Everything Sessionproof knows about this platform apart from reading its records (lib/sources/define-platform.ts).
export const OPA_PROFILE = definePlatform({
  platform: OPA_PLATFORM,
  label: "Open Policy Agent decision logs",
  displayName: "OPA decisions",
  // Names a grant feed may write for this platform (grant.platform before ":").
  aliases: ["opa", "kubernetes", "k8s"],
  privileged: OPA_PRIVILEGED,
  capabilities: {
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
});
