import {
  ocsfClass,
  type ActorKind,
  type Auth,
  type Credential,
  type CredentialKind,
  type EventResource,
  type EventSession,
  type IssuedCredential,
  type JitGrant,
  type NormalizedEvent,
  type OcsfClassUid,
  toActivity,
} from "@/lib/events/schema";
import { NormalizeError, SkipRecord } from "../types";
import { at, boolish, emailShaped, extraOf, field, ipOrNull, isRec, keyText, listAt, recAt, text, type Rec } from "../util/fields";
import { unwrapPanther } from "../util/panther";
import { sourceIp as sourceIpOf } from "../util/source-ip";
import { parseTime } from "../util/time";

// AWS CloudTrail events (docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference.html):
//  - trail files as delivered to S3: {"Records": [...]} (gzip), and the console's Event history JSON download;
//  - Event history via the API / CLI (lookup-events): {"Events": [{EventId, EventName, EventTime, Username,
//    AccessKeyId, Resources, CloudTrailEvent: "<the event as a JSON string>"}]}; CloudTrail Lake results that
//    select eventJson likewise. The string is parsed here; the ledger keeps the outer record's bytes.

export const AWS_PLATFORM = "aws-cloudtrail";

// STS calls that mint temporary credentials; their responseElements.credentials.accessKeyId is a child key.
const STS_ISSUING = new Set([
  "AssumeRole",
  "AssumeRoleWithSAML",
  "AssumeRoleWithWebIdentity",
  "GetSessionToken",
  "GetFederationToken",
  "AssumeRoot",
]);

const READ_PREFIX =
  /^(Get|List|Describe|Head|Lookup|Search|Scan|Query|Select|Check|View|Batch(Get|Describe)|Estimate|Preview|Test|Validate|Simulate|Download)/;

function keyKind(key: string): CredentialKind {
  if (key.startsWith("AKIA")) return "aws_access_key"; // long-term IAM user / root access key
  if (key.startsWith("ASIA")) return "aws_session_key"; // temporary (STS) credentials
  return "unknown";
}

/** The event itself: a trail record, or the JSON inside Event history's CloudTrailEvent / Lake's eventJson. */
function innerEvent(r: Rec): { event: Rec; wrapper: Rec | null } {
  for (const k of ["CloudTrailEvent", "eventJson"]) {
    const inner = field(r, k);
    if (typeof inner === "string") {
      let parsed: unknown;
      try {
        parsed = JSON.parse(inner);
      } catch {
        throw new NormalizeError(`${k} is not valid JSON`);
      }
      if (!isRec(parsed)) throw new NormalizeError(`${k} is not a JSON object`);
      return { event: parsed, wrapper: r };
    }
    if (isRec(inner)) return { event: inner, wrapper: r };
  }
  return { event: r, wrapper: null };
}

// Browsers (the AWS Management Console signs its API calls from the person's browser) name themselves Mozilla/….
const BROWSER_UA = /^Mozilla\/|^(console|signin)\.amazonaws\.com$|^AWS Internal$/;
// Compute environments that sign with a role's credentials: Lambda (exec-env/AWS_Lambda_…), ECS/Fargate, EC2.
const WORKLOAD_UA = /exec-env\/(AWS_Lambda|AWS_ECS|AWS_Batch|AWS_EC2)/;
// AWS SDK user agents (Boto3/…, Botocore/…, aws-sdk-java/…, aws-sdk-go-v2/…, aws-sdk-js/…) and the AWS CLI's.
const AWS_SDK_UA = /(^|[\s(])(Boto3|Botocore|aws-sdk-[a-z0-9-]+)\//i;
const AWS_CLI_UA = /^aws-cli\//i;
// Web identity providers of end users (Cognito identity pools, Login with Amazon, Google, Facebook): people;
// an IAM OIDC provider (oidc-provider/…: GitHub Actions, GitLab, EKS service accounts, Terraform Cloud) is a workload.
const END_USER_IDP = /cognito-identity\.amazonaws\.com|www\.amazon\.com|accounts\.google\.com|graph\.facebook\.com/;

/**
 * The kind of identity behind a CloudTrail userIdentity (docs: CloudTrail userIdentity element; IAM roles).
 * - Identity Center users, SAML users and root (the account owner's sign-in) → human. An IAM user is "an identity
 *   … for a single person or application" (IAM docs), and AWS recommends long-term access keys only for workloads
 *   that cannot use roles: an IAM user is human when it signs in to the console (or its session came from it),
 *   a service account when an AWS SDK signs its calls with the user's long-term (AKIA) key, else unknown.
 * - AssumedRole: an IAM Identity Center permission-set role (AWSReservedSSO_… under aws-reserved/sso.amazonaws.com)
 *   is assumed for a person; so is a console session, a session whose calls come from a browser, or a session
 *   named by an email address (SAML RoleSessionName). Every other
 *   role session is a workload: role chaining, OIDC-federated CI jobs (webIdFederationData), EC2 instance profiles
 *   (ec2RoleDelivery, session name i-…), Lambda/ECS execution roles, service-linked and service roles.
 * - WebIdentityUser: an IAM OIDC provider's subject is a workload; an end-user IdP's (Cognito, Google…) a person.
 * - AWSService → system.
 */
function actorKind(type: string | null, ui: Rec | null, console: boolean, userAgent: string | null, signIn: boolean): ActorKind {
  const sc = recAt(ui, "sessionContext");
  const issuerArn = text(at(sc, "sessionIssuer", "arn"));
  const sessionName = text(field(ui, "principalId"))?.split(":")[1] || null;
  if (signIn && recAt(ui, "onBehalfOf")) return "human"; // an Identity Center user signing in
  switch (type) {
    case "IdentityCenterUser":
    case "SAMLUser":
    case "Root":
      return "human";
    case "IAMUser": {
      if (console || (userAgent !== null && /^Mozilla\//.test(userAgent))) return "human";
      // Long-term access keys are what AWS keeps for workloads that cannot use roles (IAM best practices, "Require
      // workloads to use temporary credentials": https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html),
      // and an AWS SDK names itself in the user agent ("aws-sdk-<language>/<version>", Python's Boto3 / Botocore:
      // AWS SDKs and Tools Reference Guide, https://docs.aws.amazon.com/sdkref/latest/guide/feature-appid.html). A
      // call signed with the IAM user's own AKIA key by an SDK is an application running as that user: a service
      // account. The AWS CLI (aws-cli/…, which embeds botocore) is as often a person at a terminal: unknown.
      const key = text(field(ui, "accessKeyId"));
      if (key && keyKind(key) === "aws_access_key" && userAgent && AWS_SDK_UA.test(userAgent) && !AWS_CLI_UA.test(userAgent))
        return "service_account";
      return "unknown";
    }
    case "AWSService":
      return "system";
    case "WebIdentityUser": {
      const idp = text(field(ui, "identityProvider")) ?? text(field(ui, "principalId")) ?? "";
      return END_USER_IDP.test(idp) ? "human" : "workload";
    }
    case "AssumedRole": {
      if (
        issuerArn &&
        (/:role\/aws-reserved\/sso\.amazonaws\.com\//.test(issuerArn) || /:role\/(?:[^/]*\/)*AWSReservedSSO_/.test(issuerArn))
      )
        return "human";
      if (!issuerArn && text(field(ui, "arn"))?.includes("/AWSReservedSSO_")) return "human";
      if (recAt(sc, "webIdFederationData") || field(sc, "ec2RoleDelivery") !== undefined) return "workload";
      if (sessionName && /^i-[0-9a-f]{8,17}$/.test(sessionName)) return "workload";
      if (userAgent && WORKLOAD_UA.test(userAgent)) return "workload";
      if (console || (userAgent && BROWSER_UA.test(userAgent))) return "human";
      // SAML federation sets the role session name from the assertion's RoleSessionName attribute, which IdPs fill
      // with the person's email or user name (IAM: configure SAML assertions for the authentication response): a
      // session named by an email address is a person's, also when used from the CLI (saml2aws, granted).
      if (sessionName && /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(sessionName)) return "human";
      return "workload";
    }
    default:
      return "unknown";
  }
}

function classify(name: string, source: string | null, credentialType: string | null): { uid: OcsfClassUid; activity: string } {
  // IAM Identity Center sign-in steps (signin.amazonaws.com): verifying a second factor is an MFA step.
  if (name === "CredentialVerification" && credentialType && SECOND_FACTORS.test(credentialType)) return { uid: 3002, activity: "mfa" };
  if (
    source === "signin.amazonaws.com" &&
    /^(UserAuthentication|CredentialVerification|CredentialChallenge|SwitchRole|GetSigninToken|ExternalIdPDirectoryLogin|UserAuthenticationBegin)$/.test(
      name,
    )
  ) {
    return { uid: 3002, activity: "logon" };
  }
  if (name === "ConsoleLogin" || name === "CheckMfa" || (source === "signin.amazonaws.com" && /Login|Authenticate|Federate/.test(name))) {
    return { uid: 3002, activity: "logon" };
  }
  if (STS_ISSUING.has(name)) return { uid: 6003, activity: "issue_credentials" };
  if (source === "iam.amazonaws.com") {
    if (/^(AddUserToGroup|RemoveUserFromGroup|CreateGroup|DeleteGroup|UpdateGroup)$/.test(name)) {
      return { uid: 3006, activity: name === "AddUserToGroup" ? "add_user" : name === "RemoveUserFromGroup" ? "remove_user" : verb(name) };
    }
    if (/^(Attach|Put)(User|Role|Group)Policy$/.test(name)) return { uid: 3005, activity: "assign_privileges" };
    if (/^(Detach|Delete)(User|Role|Group)Policy$/.test(name)) return { uid: 3005, activity: "revoke_privileges" };
    if (
      /^(UpdateAssumeRolePolicy|CreatePolicyVersion|SetDefaultPolicyVersion|CreateRole|DeleteRole|PutRolePermissionsBoundary|PutUserPermissionsBoundary)$/.test(
        name,
      )
    ) {
      return { uid: 3005, activity: verb(name) };
    }
    if (/^(ChangePassword|UpdateLoginProfile|CreateLoginProfile)$/.test(name))
      return { uid: 3001, activity: name === "ChangePassword" ? "password_change" : "password_reset" };
    if (/^(EnableMFADevice|CreateVirtualMFADevice)$/.test(name)) return { uid: 3001, activity: "mfa_enable" };
    if (/^(DeactivateMFADevice|DeleteVirtualMFADevice)$/.test(name)) return { uid: 3001, activity: "mfa_disable" };
    if (/User|AccessKey|LoginProfile|SSHPublicKey|ServiceSpecificCredential|SigningCertificate/.test(name) && !READ_PREFIX.test(name)) {
      return { uid: 3001, activity: verb(name) };
    }
  }
  return { uid: 6003, activity: verb(name) };
}

// Put calls that add data (an object, a record, an item) rather than set a resource's configuration.
const PUT_DATA = /^Put(Object|Record|Records|Item|Events|LogEvents|MetricData|Image|Parameter|Secret Value|SecretValue)$/;

// IAM Identity Center sign-in CredentialType values that are a second factor (docs: Understanding IAM Identity
// Center sign-in events).
const SECOND_FACTORS = /^(TOTP|WEBAUTHN|SMS|EMAIL_OTP|VOICE|MFA)$/i;

function verb(name: string): string {
  if (READ_PREFIX.test(name)) return "read";
  if (name.startsWith("Put") && !PUT_DATA.test(name)) return "update"; // sets a configuration (PutBucketLogging, PutEventSelectors)
  // Stopping or disabling a service's activity (StopLogging, DisableKey, StopConfigurationRecorder) changes its
  // state; it deletes nothing.
  if (/^(Stop|Disable|Deactivate|Suspend)/.test(name)) return "update";
  if (/^(Create|Put|Add|Run|Start|Register|Import|Allocate|Associate|Attach|Request|Copy|Upload|Invoke|Send|Publish|Issue)/.test(name))
    return "create";
  if (/^(Delete|Remove|Terminate|Deregister|Disassociate|Detach|Revoke|Release|Cancel|Purge)/.test(name)) return "delete";
  if (/^(Update|Modify|Set|Change|Enable|Reset|Replace|Tag|Untag|Rotate|Restore|Reboot|Authorize|Apply|Edit|Rename)/.test(name))
    return "update";
  return "other";
}

// Calls that change who may do what (outside IAM, whose every write is privileged).
const POLICY_CHANGES =
  /^(Put|Delete|Set)(Bucket|Key|Resource|Repository|Registry|Topic|Queue|Vault|Secret|Domain|Table|Function|Image)?(Policy|Acl|PublicAccessBlock)$|^(AddPermission|RemovePermission|CreateGrant|RevokeGrant|ModifySnapshotAttribute|ModifyImageAttribute|ModifyDBSnapshotAttribute|SetRepositoryPolicy|PutAccountPublicAccessBlock)$/;

// Calls that blind security monitoring: stopping or deleting audit trails, detectors, recorders, flow logs and
// access logging (MITRE ATT&CK T1562.008 "Disable or Modify Cloud Logs"). An S3 PutBucketLogging is the only way
// to turn a bucket's access logging off.
const DEFENSE_EVASION =
  /^(StopLogging|DeleteTrail|UpdateTrail|PutEventSelectors|DeleteEventDataStore|StopEventDataStoreIngestion|DeleteDetector|DisassociateFromMasterAccount|DisassociateMembers|StopMonitoringMembers|UpdateDetector|DeletePublishingDestination|StopConfigurationRecorder|DeleteConfigurationRecorder|DeleteDeliveryChannel|DeleteFlowLogs|PutBucketLogging|DeleteLogGroup|DeleteLogStream|DisableSecurityHub|DeleteHub|DisableOrganizationAdminAccount|DisableAlarmActions|DeleteAlarms)$/;
// Reading a secret value is reading someone's credentials (Secrets Manager GetSecretValue / BatchGetSecretValue).
const SECRET_READS = /^(GetSecretValue|BatchGetSecretValue)$/;

function isPrivileged(name: string, source: string | null, readOnly: boolean, type: string | null): boolean {
  if (type === "Root") return true; // the root user has every permission
  if (DEFENSE_EVASION.test(name) || (source === "secretsmanager.amazonaws.com" && SECRET_READS.test(name))) return true;
  if (readOnly) return false;
  if (
    source === "iam.amazonaws.com" ||
    source === "organizations.amazonaws.com" ||
    source === "sso.amazonaws.com" ||
    source === "identitystore.amazonaws.com"
  )
    return true;
  return POLICY_CHANGES.test(name);
}

/** The resource name at the end of an ARN (…:trail/org-trail → org-trail, …:function:orders-fn → orders-fn). */
function arnName(arn: string): string | null {
  const rest = arn.split(":").slice(5).join(":");
  const m = /^(?:[a-z-]+[/:])?(.+)$/.exec(rest);
  return m ? m[1] : null;
}

function resourcesOf(ev: Rec, source: string | null, wrapper: Rec | null): EventResource[] {
  const out: EventResource[] = [];
  const add = (type: string, id: string | null, name: string | null, role?: EventResource["role"]) => {
    if (!id && !name) return;
    // The same target named twice (resources[] and requestParameters): keep one, with the name if either has it.
    const same = out.find((r) => r.type === type && (id ? r.id === id : r.id === null && r.name === name));
    if (same) {
      same.name ??= name;
      if (role) same.role = role;
      return;
    }
    out.push(role ? { type, id, name, role } : { type, id, name });
  };
  for (const r of listAt(ev, "resources")) {
    const arn = keyText(field(r, "ARN")) ?? keyText(field(r, "arn"));
    add(text(field(r, "type")) ?? "AWS::Resource", arn, null);
  }
  // Event history names a resource by ResourceName, which is an ARN for many types: keep an ARN as the id, so the
  // same object named again in requestParameters is one resource.
  for (const r of listAt(wrapper, "Resources")) {
    const name = text(field(r, "ResourceName"));
    const isArn = name !== null && name.startsWith("arn:");
    add(text(field(r, "ResourceType")) ?? "AWS::Resource", isArn ? name : null, isArn ? null : name);
  }
  // Targets named in the request, for the common identity and data calls (CloudTrail fills resources[] for
  // only a few services).
  const req = recAt(ev, "requestParameters");
  if (req) {
    // The role a call assumes (STS) or hands to a service is used, not changed: a related object, named by the
    // role's name (roleSessionName names the new session, not the role).
    const roleArn = keyText(field(req, "roleArn"));
    if (roleArn) add("AWS::IAM::Role", roleArn, arnName(roleArn)?.split("/").pop() ?? null, "related");
    const bucket = keyText(field(req, "bucketName"));
    const key = text(field(req, "key"));
    if (bucket && key) add("AWS::S3::Object", `arn:aws:s3:::${bucket}/${key}`, key);
    // An object-level call's bucket is where the object lives.
    if (bucket) add("AWS::S3::Bucket", `arn:aws:s3:::${bucket}`, bucket, key ? "container" : undefined);
    // Named targets of the common security-relevant services: the ARN as id when the caller passed one (or the
    // response returns it), else the name.
    const named = (type: string, v: string | null, arnFromResponse: string | null = null) => {
      if (!v && !arnFromResponse) return;
      if (v && v.startsWith("arn:")) add(type, v, arnName(v));
      else add(type, arnFromResponse, v);
    };
    const resp = recAt(ev, "responseElements");
    if (source === "secretsmanager.amazonaws.com")
      named(
        "AWS::SecretsManager::Secret",
        keyText(field(req, "secretId")) ?? keyText(field(req, "name")),
        keyText(field(resp, "aRN")) ?? keyText(field(resp, "arn")),
      );
    if (source === "lambda.amazonaws.com")
      named("AWS::Lambda::Function", keyText(field(req, "functionName")), keyText(field(resp, "functionArn")));
    if (source === "cloudtrail.amazonaws.com")
      named("AWS::CloudTrail::Trail", keyText(field(req, "name")) ?? keyText(field(req, "trailName")), keyText(field(resp, "trailARN")));
    if (source === "guardduty.amazonaws.com") named("AWS::GuardDuty::Detector", keyText(field(req, "detectorId")));
    if (source === "kms.amazonaws.com") named("AWS::KMS::Key", keyText(field(req, "keyId")));
    if (source === "iam.amazonaws.com") {
      const user = keyText(field(req, "userName"));
      if (user) add("AWS::IAM::User", null, user);
      const role = keyText(field(req, "roleName"));
      if (role) add("AWS::IAM::Role", null, role);
      const group = keyText(field(req, "groupName"));
      if (group) add("AWS::IAM::Group", null, group);
      // Attach/Detach{User,Role,Group}Policy change the principal's permissions; the managed policy itself is
      // unchanged (it is the target of the policy calls that name no principal: DeletePolicy, CreatePolicyVersion).
      const policy = keyText(field(req, "policyArn"));
      if (policy) add("AWS::IAM::Policy", policy, null, user || role || group ? "related" : undefined);
    }
  }
  return out;
}

// Temporary elevated access for IAM Identity Center: AWS's open-source TEAM solution
// (github.com/aws-samples/iam-identity-center-team, amplify/backend/custom/stepfunctions) grants with its
// Grant state machine calling sso CreateAccountAssignment and removes with its Revoke state machine calling
// DeleteAccountAssignment. Its CloudFormation template leaves the roles unnamed, so CloudFormation names them
// <stack>-TEAMGrantSMRole-<suffix> / <stack>-TEAMRevokeSMRole-<suffix>: the caller's role tells a TEAM grant from
// a standing assignment made by an administrator (which stays a privileged event without `jit`). The event
// carries no duration: end_time is only known from the revoke.
const TEAM_ROLE = /:(?:role|assumed-role)\/(?:[^/]*\/)*[^/]*TEAM(Grant|Revoke)SMRole/;

function teamJitOf(
  name: string,
  source: string | null,
  callerArns: (string | null)[],
  ev: Rec,
  time: Date,
  errorCode: string | null,
): JitGrant | null {
  if (source !== "sso.amazonaws.com" || (name !== "CreateAccountAssignment" && name !== "DeleteAccountAssignment")) return null;
  if (!callerArns.some((a) => a !== null && TEAM_ROLE.test(a))) return null;
  const req = recAt(ev, "requestParameters");
  const create = name === "CreateAccountAssignment";
  const status = recAt(ev, "responseElements", create ? "accountAssignmentCreationStatus" : "accountAssignmentDeletionStatus");
  return {
    provider: "aws.identity_center",
    stage: errorCode ? "other" : create ? "completed" : "removed",
    assignment: "TEAM",
    role_id: keyText(field(req, "permissionSetArn")),
    role_name: null,
    principal_id: keyText(field(req, "principalId")),
    principal_name: null,
    justification: null,
    ticket: null,
    start_time: create && !errorCode ? time.toISOString() : null,
    end_time: !create && !errorCode ? time.toISOString() : null,
    request_id: keyText(field(status, "requestId")),
    target_platform: keyText(field(req, "targetId")),
    approved_by: null,
    revoked_time: null,
  };
}

/**
 * A CloudTrail digest file (log file integrity validation): delivered hourly to the trail's bucket under
 * AWSLogs/<account>/CloudTrail-Digest/…, it lists the log files of the hour with their hashes and signs the previous
 * digest; it records no event. Told by the fields every digest has (digestStartTime, digestEndTime, digestS3Object,
 * logFiles). https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-digest-file-structure.html
 */
export function isDigestFile(r: unknown): boolean {
  return (
    isRec(r) &&
    typeof field(r, "digestStartTime") === "string" &&
    typeof field(r, "digestEndTime") === "string" &&
    (field(r, "digestS3Object") !== undefined || Array.isArray(field(r, "logFiles")))
  );
}

export function normalizeCloudTrail(input: unknown): NormalizedEvent[] {
  const { record } = unwrapPanther(input, /^AWS\.CloudTrail/, "AWS CloudTrail");
  if (!isRec(record)) throw new NormalizeError("not a JSON object");
  if (isDigestFile(record)) {
    const files = field(record, "logFiles");
    throw new SkipRecord(
      `CloudTrail digest file (log file validation for ${text(field(record, "digestStartTime"))} to ${text(field(record, "digestEndTime"))}, ` +
        `${Array.isArray(files) ? files.length : 0} log files hashed): skipped, it holds no events`,
    );
  }
  const { event: ev, wrapper } = innerEvent(record);

  const name = text(field(ev, "eventName")) ?? (wrapper ? text(field(wrapper, "EventName")) : null);
  if (!name) throw new NormalizeError("not a CloudTrail event: eventName is missing");
  const time = parseTime(field(ev, "eventTime") ?? (wrapper ? field(wrapper, "EventTime") : undefined), "eventTime");
  const source = text(field(ev, "eventSource")) ?? (wrapper ? text(field(wrapper, "EventSource")) : null);
  const ui = recAt(ev, "userIdentity");
  const type = text(field(ui, "type"));
  const arn = keyText(field(ui, "arn"));
  const principalId = keyText(field(ui, "principalId"));
  const accessKeyId = keyText(field(ui, "accessKeyId")) ?? (wrapper ? keyText(field(wrapper, "AccessKeyId")) : null);
  const sc = recAt(ui, "sessionContext");
  const creationDate = text(at(sc, "attributes", "creationDate"));
  const issuerArn = keyText(at(sc, "sessionIssuer", "arn"));
  const sourceIdentity = keyText(field(sc, "sourceIdentity"));
  const additional = recAt(ev, "additionalEventData");
  const response = recAt(ev, "responseElements");
  const errorCode = text(field(ev, "errorCode"));
  const errorMessage = text(field(ev, "errorMessage"));
  const consoleLogin = name === "ConsoleLogin";
  const fromConsole = consoleLogin || boolish(field(ev, "sessionCredentialFromConsole")) === true;

  const userName = keyText(field(ui, "userName")) ?? (wrapper ? keyText(field(wrapper, "Username")) : null);
  // IAM Identity Center sign-in events (signin.amazonaws.com, userIdentity type Unknown) identify the user by
  // onBehalfOf.userId in the identity store (AWS: use userId + identityStoreArn, not userName); the user name is
  // additionalEventData.UserName (or userIdentity.userName). userIdentity.principalId there is the account id.
  const onBehalfOfId = keyText(at(ui, "onBehalfOf", "userId"));
  const signIn = source === "signin.amazonaws.com" && !consoleLogin;
  const ssoUser = type === "IdentityCenterUser" || (signIn && onBehalfOfId !== null);
  const signInName = signIn ? (keyText(field(additional, "UserName")) ?? userName) : null;
  // AWSService has no principalId: the service (invokedBy) is its name, not an id.
  // Actor: who signed the request.
  const sessionName = type === "AssumedRole" && arn ? arn.split("/").pop() || null : null;
  const login =
    type === "AssumedRole"
      ? sessionName
      : type === "AWSService"
        ? keyText(field(ui, "invokedBy"))
        : ssoUser
          ? (signInName ?? onBehalfOfId)
          : userName;
  const externalId = ssoUser ? onBehalfOfId : type === "AWSService" ? null : principalId;

  // Session key. CloudTrail has no session id. For temporary credentials (role sessions, federated users,
  // console sessions of IAM users/root) the session is the principal ARN plus sessionContext.attributes
  // .creationDate: one AssumeRole / sign-in creates it, and every call made with its credentials repeats both,
  // even across the refreshes of a console session's access key. Without a creationDate, a temporary (ASIA)
  // access key identifies the session by itself.
  let session: EventSession | null = null;
  if (arn && creationDate) {
    const keyType = type === "AssumedRole" ? "aws.role_session" : type === "FederatedUser" ? "aws.federated_session" : "aws.user_session";
    session = { key: `${arn}|${creationDate}`, key_type: keyType, root_key: null, issuer: issuerArn };
  } else if (accessKeyId && keyKind(accessKeyId) === "aws_session_key") {
    session = { key: accessKeyId, key_type: "aws.session_access_key", root_key: null, issuer: issuerArn };
  }

  // The credential presented: the signing key; else what a sign-in or federation call verified (no key: a
  // password, the SAML assertion of AssumeRoleWithSAML / an external IdP, the OIDC token of
  // AssumeRoleWithWebIdentity, an Identity Center second factor).
  const credentialType = text(field(additional, "CredentialType"));
  const presented: CredentialKind | null = consoleLogin
    ? text(field(additional, "SamlProviderArn"))
      ? "saml_assertion"
      : "password"
    : name === "AssumeRoleWithSAML"
      ? "saml_assertion"
      : name === "AssumeRoleWithWebIdentity"
        ? "access_token"
        : signIn && credentialType
          ? /^EXTERNAL_IDP$/i.test(credentialType)
            ? "saml_assertion"
            : /^PASSWORD$/i.test(credentialType)
              ? "password"
              : SECOND_FACTORS.test(credentialType)
                ? "mfa"
                : "unknown"
          : null;
  const credential: Credential | null = accessKeyId
    ? {
        key: accessKeyId,
        key_type: "aws.access_key_id",
        kind: keyKind(accessKeyId),
        native_type: null,
        parent_key: null,
        parent_key_type: null,
        parent_kind: null,
      }
    : presented
      ? {
          key: null,
          key_type: null,
          kind: presented,
          native_type: credentialType ?? (consoleLogin ? null : name),
          parent_key: null,
          parent_key_type: null,
          parent_kind: null,
        }
      : null;

  // Credentials minted by this call: the child key's parent is the key the call was signed with.
  const issued: IssuedCredential[] = [];
  if (STS_ISSUING.has(name) && !errorCode) {
    const newKey = keyText(at(response, "credentials", "accessKeyId"));
    if (newKey) {
      issued.push({
        key: newKey,
        key_type: "aws.access_key_id",
        kind: keyKind(newKey) === "unknown" ? "aws_session_key" : keyKind(newKey),
        native_type: name,
        // A key cannot be its own parent (placeholder keys in samples repeat): no link rather than a loop.
        parent_key: accessKeyId !== newKey ? accessKeyId : null,
        parent_key_type: accessKeyId && accessKeyId !== newKey ? "aws.access_key_id" : null,
        principal: keyText(at(response, "assumedRoleUser", "arn")) ?? keyText(at(response, "federatedUser", "arn")),
        source_identity: keyText(field(response, "sourceIdentity")) ?? keyText(at(ev, "requestParameters", "sourceIdentity")),
        expiration: text(at(response, "credentials", "expiration")),
      });
    }
  }
  if (name === "CreateAccessKey" && !errorCode) {
    const newKey = keyText(at(response, "accessKey", "accessKeyId"));
    if (newKey) {
      issued.push({
        key: newKey,
        key_type: "aws.access_key_id",
        kind: "aws_access_key",
        native_type: name,
        // Lineage (IssuedCredentialSchema): the parent is the key the call was signed with, as for STS. The new
        // long-term key is not derived from it cryptographically, but it was minted with it: the person's role
        // session that created a service's key is where that service's later sessions come from.
        parent_key: accessKeyId !== newKey ? accessKeyId : null,
        parent_key_type: accessKeyId && accessKeyId !== newKey ? "aws.access_key_id" : null,
        principal: keyText(at(response, "accessKey", "userName")),
        source_identity: null,
        expiration: null,
      });
    }
  }

  let status: NormalizedEvent["status"] = errorCode ? "failure" : "success";
  let statusDetail = errorCode ? (errorMessage ? `${errorCode}: ${errorMessage}` : errorCode) : null;
  if (signIn) {
    // Sign-in events put the outcome under serviceEventDetails.<eventName> (Success / Failure).
    const outcome = text(at(ev, "serviceEventDetails", name));
    if (outcome === "Failure") status = "failure";
    if (outcome) statusDetail = errorMessage ? `${outcome}: ${errorMessage}` : outcome;
  }
  if (consoleLogin) {
    const outcome = text(field(response, "ConsoleLogin"));
    if (outcome === "Failure") status = "failure";
    else if (outcome === "Success" && !errorCode) status = "success";
    if (outcome) statusDetail = errorMessage ? `${outcome}: ${errorMessage}` : outcome;
  }

  const mfaUsed = boolish(field(additional, "MFAUsed"));
  const mfaAuthenticated = boolish(at(sc, "attributes", "mfaAuthenticated"));
  // mfaAuthenticated documents MFA of the root or IAM user whose credentials made the request; a role or
  // federated session's "false" only says STS saw no MFA (a SAML/OIDC/Identity Center person authenticated,
  // or not, at the IdP): unknown, unless it is true.
  const ownCredentials = type === "IAMUser" || type === "Root";
  const secondFactor = signIn && name === "CredentialVerification" && credentialType !== null && SECOND_FACTORS.test(credentialType);
  const mfa = consoleLogin ? mfaUsed : secondFactor ? true : mfaAuthenticated === true || ownCredentials ? mfaAuthenticated : null;
  const auth: Auth | null =
    consoleLogin || mfa !== null || (signIn && credentialType)
      ? {
          factors: consoleLogin
            ? mfaUsed
              ? ["password", "mfa"]
              : mfaUsed === false
                ? ["password"]
                : []
            : signIn && credentialType
              ? [credentialType]
              : [],
          mfa,
          protocol: consoleLogin && text(field(additional, "SamlProviderArn")) ? "SAML" : null,
        }
      : null;

  const readOnlyField = boolish(field(ev, "readOnly") ?? (wrapper ? field(wrapper, "ReadOnly") : undefined));
  const readOnly = readOnlyField ?? READ_PREFIX.test(name);
  const { uid, activity } = classify(name, source, credentialType);
  const sourceIp = text(field(ev, "sourceIPAddress"));

  return [
    {
      schema_version: 1,
      platform: AWS_PLATFORM,
      ...ocsfClass(uid),
      activity: toActivity(activity),
      event_name: name,
      time,
      status,
      status_detail: statusDetail,
      message: null,
      actor: {
        external_id: externalId,
        name: login, // Root has no user name (only an alias when one is set): none is invented
        login,
        email: emailShaped(login),
        type,
        kind_hint: actorKind(type, ui, fromConsole, text(field(ev, "userAgent")), signIn),
      },
      session,
      credential,
      issued_credentials: issued,
      auth,
      client: null, // CloudTrail names no OAuth client
      // sourceIPAddress is the caller's address, or the AWS service's name for calls a service made (AWS Internal);
      // the unspecified address names no source (util/source-ip.ts).
      src_endpoint: { ip: sourceIpOf(sourceIp, { loopback: "keep" }), location: null },
      user_agent: text(field(ev, "userAgent")),
      resources: resourcesOf(ev, source, wrapper),
      privileged: isPrivileged(name, source, readOnly, type),
      policy: null,
      jit: teamJitOf(name, source, [issuerArn, arn], ev, time, errorCode),
      approval: null,
      correlation_id: keyText(field(ev, "requestID")),
      native_id: keyText(field(ev, "eventID")) ?? (wrapper ? keyText(field(wrapper, "EventId")) : null),
      extra: extraOf({
        shape: wrapper ? "event-history" : "trail",
        eventSource: source,
        eventType: text(field(ev, "eventType")),
        eventCategory: text(field(ev, "eventCategory")),
        awsRegion: text(field(ev, "awsRegion")),
        recipientAccountId: text(field(ev, "recipientAccountId")),
        accountId: text(field(ui, "accountId")),
        arn,
        principalId,
        sessionIssuerArn: issuerArn,
        sessionIssuerType: text(at(sc, "sessionIssuer", "type")),
        sessionCreationDate: creationDate,
        mfaAuthenticated,
        sourceIdentity,
        invokedBy: text(field(ui, "invokedBy")),
        onBehalfOf: recAt(ui, "onBehalfOf"),
        federatedProvider: text(at(sc, "webIdFederationData", "federatedProvider")),
        sourceIPAddress: sourceIp && !ipOrNull(sourceIp) ? sourceIp : null,
        readOnly: readOnlyField,
        managementEvent: boolish(field(ev, "managementEvent")),
        errorCode,
        errorMessage,
        sharedEventID: text(field(ev, "sharedEventID")),
        vpcEndpointId: text(field(ev, "vpcEndpointId")),
        sessionCredentialFromConsole: boolish(field(ev, "sessionCredentialFromConsole")),
        loginTo: text(field(additional, "LoginTo")),
        mfaUsed,
        mfaIdentifier: text(field(additional, "MFAIdentifier")),
        roleSessionName: text(at(ev, "requestParameters", "roleSessionName")),
        tlsVersion: text(at(ev, "tlsDetails", "tlsVersion")),
      }),
    },
  ];
}
