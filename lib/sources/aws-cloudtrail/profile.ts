import { capability as f, definePlatform, HOUR } from "../define-platform";
import { AWS_PLATFORM } from "./normalize";
import { AWS_PRIVILEGED, AWS_CALLER_NAMED_ACTOR } from "./privileged";
import { AWS_CLOUDTRAIL_RETENTION } from "./retention";

// Everything Sessionproof knows about this platform apart from reading its records (lib/sources/define-platform.ts).
export const AWS_CLOUDTRAIL_PROFILE = definePlatform({
  platform: AWS_PLATFORM,
  label: "AWS CloudTrail",
  displayName: "AWS CloudTrail",
  // Names a grant feed may write for this platform (grant.platform before ":").
  aliases: ["aws", "aws-cloudtrail", "amazon", "aws-identity-center"],
  privileged: AWS_PRIVILEGED,
  retention: AWS_CLOUDTRAIL_RETENTION,
  callerNamedActor: AWS_CALLER_NAMED_ACTOR,
  capabilities: {
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
  correlation: {
    // AWS IAM Identity Center: a successful UserAuthentication (signin.amazonaws.com) signs the person into the
    // access portal, from which each account role opens an AWSReservedSSO_ role session (AWS docs, "Understanding
    // IAM Identity Center sign-in events"; "IAM Identity Center CloudTrail use cases").
    idpSso: {
      rule: "aws_identity_center_signin_to_role_session",
      appName: (e) => (e.class_uid === 3002 && e.event_name === "UserAuthentication" ? "AWS IAM Identity Center" : null),
      target: AWS_PLATFORM,
    },
    appNames: { pattern: /amazon web services|\baws\b|iam identity center/i, rank: 4 },
    // AWS STS: a role session lasts at most the role's MaxSessionDuration, 12 hours at most (IAM User Guide,
    // "Update the maximum session duration for a role").
    sessionLimits: { maxSpanMs: 12 * HOUR, idleGapMs: null },
    // AWS STS: AssumeRoleWithWebIdentity and AssumeRoleWithSAML are called with an OIDC / SAML token, not AWS
    // credentials; CloudTrail names the caller as userIdentity type WebIdentityUser / SAMLUser and no session, and the
    // role session the call creates (responseElements.credentials, assumedRoleUser) is where its use is logged (IAM
    // User Guide, "Logging IAM and AWS STS API calls with AWS CloudTrail"; CloudTrail userIdentity element).
    exchangeCallers: ["WebIdentityUser", "SAMLUser"],
  },
});
