import type { CatalogEntry } from "../privileged";
import type { CallerNamedActor } from "../types";

// AWS API calls (CloudTrail eventName) that are privileged actions, each entry citing the service's API reference.
const IAM = "https://docs.aws.amazon.com/IAM/latest/APIReference/API_Operations.html";

export const AWS_PRIVILEGED: readonly CatalogEntry[] = [
  {
    id: "aws.root",
    name: /^ConsoleLogin$/,
    category: "config_change",
    privilege: "aws:root",
    level: 3,
    doc: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user.html",
  },
  // Audit and logging disablement: each blinds a monitoring trail (MITRE ATT&CK T1562.008).
  {
    id: "aws.config-recorder",
    name: /^(StopConfigurationRecorder|DeleteConfigurationRecorder|DeleteDeliveryChannel|DeleteConfigRule)$/,
    category: "config_change",
    privilege: "config:{name}",
    level: 2,
    doc: "https://docs.aws.amazon.com/config/latest/APIReference/API_StopConfigurationRecorder.html",
  },
  {
    id: "aws.guardduty",
    name: /^(DeleteDetector|UpdateDetector|DisassociateFromMasterAccount|DisassociateFromAdministratorAccount|DisassociateMembers|StopMonitoringMembers|DeletePublishingDestination)$/,
    category: "config_change",
    privilege: "guardduty:{name}",
    level: 2,
    doc: "https://docs.aws.amazon.com/guardduty/latest/APIReference/API_DeleteDetector.html",
  },
  {
    // PutBucketLogging with an empty BucketLoggingStatus is the only way to turn a bucket's access logging off.
    id: "aws.bucket-logging",
    name: /^PutBucketLogging$/,
    category: "config_change",
    privilege: "s3:PutBucketLogging",
    level: 1,
    doc: "https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketLogging.html",
  },
  {
    id: "aws.cloudtrail",
    name: /^(StopLogging|DeleteTrail|UpdateTrail|PutEventSelectors|DeleteEventDataStore|StopEventDataStoreIngestion)$/,
    category: "config_change",
    privilege: "cloudtrail:{name}",
    level: 2,
    doc: "https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_StopLogging.html",
  },
  {
    id: "aws.security-hub",
    name: /^(DisableSecurityHub|DeleteHub|DisableOrganizationAdminAccount)$/,
    category: "config_change",
    privilege: "securityhub:{name}",
    level: 2,
    doc: "https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_DisableSecurityHub.html",
  },
  {
    id: "aws.flow-logs",
    name: /^DeleteFlowLogs$/,
    category: "config_change",
    privilege: "ec2:DeleteFlowLogs",
    level: 1,
    doc: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteFlowLogs.html",
  },
  {
    id: "aws.cloudwatch-logs",
    name: /^(DeleteLogGroup|DeleteLogStream)$/,
    category: "config_change",
    privilege: "logs:{name}",
    level: 1,
    doc: "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DeleteLogGroup.html",
  },
  {
    id: "aws.alarms",
    name: /^(DisableAlarmActions|DeleteAlarms)$/,
    category: "config_change",
    privilege: "cloudwatch:{name}",
    level: 1,
    doc: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DisableAlarmActions.html",
  },
  {
    // Not flagged by the source: destroying or disabling a KMS key makes what it encrypts unreadable.
    id: "aws.kms-key-destruction",
    name: /^(ScheduleKeyDeletion|DisableKey)$/,
    activity: ["other", "delete", "update", "create"],
    unflagged: true,
    category: "config_change",
    privilege: "kms:{name}",
    level: 2,
    doc: "https://docs.aws.amazon.com/kms/latest/APIReference/API_ScheduleKeyDeletion.html",
  },
  {
    // Includes AddUserToGroup: an IAM group's policies are its members' permissions (admin-group membership).
    id: "aws.iam-role",
    name: /^(Attach|Detach|Put|Delete)(Role|User|Group)Policy$|^(Add|Remove)UserToGroup$|^(Create|Update|Delete)Role$|^UpdateAssumeRolePolicy$/,
    category: "admin_role_change",
    privilege: "iam:{name}",
    level: 2,
    doc: IAM,
  },
  {
    id: "aws.iam-policy",
    name: /^(Create|Delete)Policy(Version)?$|^SetDefaultPolicyVersion$/,
    category: "policy_change",
    privilege: "iam:{name}",
    level: 2,
    doc: IAM,
  },
  {
    id: "aws.credentials",
    name: /^(CreateAccessKey|CreateLoginProfile|UpdateLoginProfile|CreateServiceSpecificCredential|UploadSSHPublicKey|UploadSigningCertificate|CreateVirtualMFADevice|EnableMFADevice)$/,
    category: "credential_creation",
    privilege: "iam:{name}",
    level: 2,
    doc: IAM,
  },
  {
    id: "aws.sso",
    name: /AccountAssignment|PermissionSet|ManagedPolicy/,
    category: "admin_role_change",
    privilege: "sso:{name}",
    level: 2,
    doc: "https://docs.aws.amazon.com/singlesignon/latest/APIReference/API_Operations.html",
  },
  {
    id: "aws.resource-policy",
    name: /Polic(y|ies)$|Acl$|PublicAccessBlock$|^(AddPermission|RemovePermission|CreateGrant|RevokeGrant|Modify(Snapshot|Image|DBSnapshot)Attribute)$/,
    category: "policy_change",
    privilege: "{name}",
    level: 1,
    doc: "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_identity-vs-resource.html",
  },
  {
    id: "aws.organizations",
    name: /Account|Organization|OrganizationalUnit|ServiceControl|Delegated/,
    category: "config_change",
    privilege: "organizations:{name}",
    level: 3,
    doc: "https://docs.aws.amazon.com/organizations/latest/APIReference/API_Operations.html",
  },
  {
    id: "aws.iam-other",
    name: /^(Create|Delete|Update|Tag|Untag|Set|Put|Add|Remove|Attach|Detach|Change|Enable|Deactivate|Resync)/,
    category: "permission_change",
    privilege: "iam:{name}",
    level: 2,
    doc: IAM,
  },
];

/**
 * An assumed role's session name is whatever the caller passed as RoleSessionName (GetFederationToken: Name), so
 * "alice@example.com" there proves nothing. sourceIdentity is set once when the first role is assumed and cannot
 * be changed along a role chain (IAM: monitor and control actions taken with assumed roles). IAM Identity Center's
 * reserved roles (path aws-reserved/sso.amazonaws.com/, which only Identity Center can create and assume) name the
 * session after the signed-in user.
 */
export const AWS_CALLER_NAMED_ACTOR: CallerNamedActor = {
  actorTypes: ["AssumedRole", "FederatedUser"],
  provenNameField: "sourceIdentity",
  idpNamedIssuer: /^arn:aws[a-z-]*:iam::\d{12}:role\/aws-reserved\/sso\.amazonaws\.com\/(?:[^/]+\/)*AWSReservedSSO_[^/]+$/,
  what: "the session name the caller chose (AssumeRole RoleSessionName, GetFederationToken Name)",
};
