import {
  ocsfClass,
  type ActorKind,
  type Credential,
  type EventResource,
  type EventSession,
  type EventStatus,
  type IssuedCredential,
  type NormalizedEvent,
  type OcsfClassUid,
  toActivity,
} from "@/lib/events/schema";
import { NormalizeError } from "../types";
import { changesKeys, keysAdded } from "../util/entra-keys";
import { at, emailShaped, extraOf, field, ipOrNull, isRec, keyText, listAt, recAt, text, type Rec } from "../util/fields";
import { unwrapPanther } from "../util/panther";
import { sourceIp } from "../util/source-ip";
import { columnOf, entraRecordOf, officeRecordOf } from "../util/log-analytics";
import { parseTime } from "../util/time";

// Microsoft 365 Unified Audit Log (UAL), in the two shapes it is exported in:
//  - Office 365 Management Activity API content blobs (GET …/activity/feed/audit/{contentId}): a JSON array of
//    records in the common schema (Id, RecordType, CreationTime without a zone = UTC, Operation, OrganizationId,
//    UserType, UserKey, Workload, ResultStatus, ObjectId, UserId, ClientIP) plus the workload's own fields
//    (Exchange mailbox/admin, SharePoint/OneDrive, AzureActiveDirectory, MicrosoftTeams, SecurityComplianceCenter);
//  - the Purview (Compliance portal) audit search CSV export: CreationDate, UserIds/UserId, Operations/Operation,
//    AuditData (a JSON string holding the record above), sometimes RecordId, RecordType, AssociatedAdminUnits.
//    AuditData is parsed and normalized like an API record; a broken AuditData is refused with the reason.
// Panther's copies (Microsoft365.Audit.*, sometimes with all-lowercase keys) are accepted; Panther Azure.* records
// are Entra ID's and are refused here.
//
// Session = AppAccessContext.AADSessionId (m365.AADSessionId: the same value as the Entra sign-in sessionId).
// Credential = AppAccessContext.UniqueTokenId, the access token's id (entra.unique_token_identifier, the key type the
// Entra source gives the sign-in's uniqueTokenIdentifier), kind access_token. Client = ClientAppId (Exchange: AppId;
// AzureActiveDirectory logons: ApplicationId). Exchange/SharePoint SessionId and ClientInfoString go to extra.

export const M365_PLATFORM = "m365";

/** UserType (common schema): the documented enum names. */
const USER_TYPES: Record<number, string> = {
  0: "Regular",
  1: "Reserved",
  2: "Admin",
  3: "DcAdmin",
  4: "System",
  5: "Application",
  6: "ServicePrincipal",
  7: "CustomPolicy",
  8: "SystemPolicy",
  9: "PartnerTechnician",
  10: "Guest",
};

/**
 * kind_hint from UserType: people (Regular, Admin, DcAdmin = Microsoft datacenter admin, PartnerTechnician, Guest)
 * → human; Reserved/System/CustomPolicy/SystemPolicy → system; Application/ServicePrincipal (an app acting with
 * its own credential) → service_account.
 */
const KIND_OF_USER_TYPE: Record<string, ActorKind> = {
  Regular: "human",
  Admin: "human",
  DcAdmin: "human",
  PartnerTechnician: "human",
  Guest: "human",
  Reserved: "system",
  System: "system",
  CustomPolicy: "system",
  SystemPolicy: "system",
  // An app acting with its own credential is an Entra service principal: a workload identity.
  Application: "workload",
  ServicePrincipal: "workload",
};

// Windows well-known security principals that are the machine, a service or nobody, never a person
// (learn.microsoft.com/windows-server/identity/ad-ds/manage/understand-security-identifiers, "Well-known SIDs"):
// Anonymous Logon (S-1-5-7), the IIS anonymous user IUSR (S-1-5-17), LocalSystem (S-1-5-18), LocalService
// (S-1-5-19), NetworkService (S-1-5-20), and the virtual accounts Windows creates per service or host process:
// per-service SIDs (S-1-5-80-…, "NT SERVICE\…"), IIS application pools (S-1-5-82-…, "IIS APPPOOL\…"), Hyper-V
// virtual machines (S-1-5-83-…, "NT VIRTUAL MACHINE\…"), the Desktop Window Manager (S-1-5-90-…, "Window Manager\…")
// and the user-mode font driver host (S-1-5-96-…, "Font Driver Host\…"). Exchange writes these, or the
// "NT AUTHORITY\…" accounts, as UserId for its service hosts.
const SYSTEM_SID = /^S-1-5-(7|17|18|19|20|(80|82|83|90|96)-[\d-]+)$/i;
const SYSTEM_ACCOUNT = /^(NT AUTHORITY|NT SERVICE|IIS APPPOOL|NT VIRTUAL MACHINE|Window Manager|Font Driver Host)\\/i;

/** True when the actor is a Windows system principal, whatever UserType says. */
function isWindowsSystemPrincipal(userKey: string | null, userId: string | null): boolean {
  return (userKey !== null && SYSTEM_SID.test(userKey)) || (userId !== null && (SYSTEM_ACCOUNT.test(userId) || SYSTEM_SID.test(userId)));
}

/** A few RecordType numbers, to classify records whose Workload is missing. */
const RECORD_TYPE_WORKLOAD: Record<number, string> = {
  1: "Exchange",
  2: "Exchange",
  3: "Exchange",
  4: "SharePoint",
  6: "SharePoint",
  8: "AzureActiveDirectory",
  9: "AzureActiveDirectory",
  14: "SharePoint",
  15: "AzureActiveDirectory",
  18: "SecurityComplianceCenter",
  24: "SecurityComplianceCenter",
  25: "MicrosoftTeams",
  36: "SharePoint",
  50: "Exchange",
};

// Placeholders the UAL writes instead of leaving a field out (UserKey "Not Available", SharePoint "N/A").
function idText(v: unknown): string | null {
  const t = keyText(v);
  return t === null || /^not available$/i.test(t) ? null : t;
}

/** True for a UAL record in the common schema (also used by detect). */
export function isUalRecord(r: unknown): r is Rec {
  return (
    isRec(r) &&
    field(r, "CreationTime") !== undefined &&
    field(r, "Operation") !== undefined &&
    (field(r, "RecordType") !== undefined ||
      field(r, "Workload") !== undefined ||
      field(r, "UserKey") !== undefined ||
      field(r, "OrganizationId") !== undefined)
  );
}

/** True for a Purview audit search CSV row (also used by detect). */
export function isPurviewRow(r: unknown): boolean {
  return (
    isRec(r) &&
    typeof r.AuditData === "string" &&
    (r.CreationDate !== undefined || r.Operations !== undefined || r.Operation !== undefined || r.RecordId !== undefined)
  );
}

/**
 * The IP of a ClientIP as the UAL writes it: "203.0.113.7", "203.0.113.7:51234", "[2001:db8::1]:443",
 * "2001:db8::1", "::ffff:203.0.113.7". Anything else (host names, "Unknown") is not an IP.
 */
export function clientIp(v: unknown): string | null {
  const s = text(v);
  if (s === null) return null;
  if (s.startsWith("[")) {
    const end = s.indexOf("]");
    return end > 1 ? ipOrNull(s.slice(1, end)) : null;
  }
  const direct = ipOrNull(s);
  if (direct) return direct;
  const v4port = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/.exec(s);
  return v4port ? ipOrNull(v4port[1]) : null;
}

/** [{Name, Value}] (Parameters, ExtendedProperties) → {Name: Value} (first value wins); null when empty. */
function nameValues(list: unknown[]): Record<string, string> | null {
  const out: Record<string, string> = {};
  let n = 0;
  for (const p of list) {
    const name = text(field(p, "Name"));
    const value = text(field(p, "Value"));
    if (name === null || value === null || Object.hasOwn(out, name)) continue;
    out[name] = value;
    n++;
  }
  return n ? out : null;
}

/** ModifiedProperties [{Name, NewValue, OldValue}] → names. */
function modifiedNames(r: Rec): string[] {
  const names: string[] = [];
  for (const p of listAt(r, "ModifiedProperties")) {
    const n = text(field(p, "Name"));
    if (n !== null) names.push(n);
  }
  return names;
}

function modifiedValue(r: Rec, name: string): string | null {
  for (const p of listAt(r, "ModifiedProperties")) {
    if (text(field(p, "Name")) === name) return text(field(p, "NewValue"));
  }
  return null;
}

type Classified = { uid: OcsfClassUid; activity: string; privileged: boolean };

/** A verb from an operation name, for records no rule below knows. */
function verbOf(op: string): string {
  if (/^(Get|Search|Test|Export)-/.test(op) || /(Accessed|Viewed|Previewed|Read|Bind|Searched)$/i.test(op)) return "read";
  if (/^(New|Add|Enable|Install)-/.test(op) || /(Created|Added|Uploaded)$/i.test(op) || /^(Add|Create)\b/i.test(op)) return "create";
  if (/^(Remove|Disable|Uninstall)-/.test(op) || /(Deleted|Removed|Recycled)$/i.test(op) || /^(Delete|Remove)\b/i.test(op)) return "delete";
  if (
    /^(Set|Update|Grant|Revoke)-/.test(op) ||
    /(Modified|Changed|Updated|Renamed|Moved|Set)$/i.test(op) ||
    /^(Update|Set|Change)\b/i.test(op)
  )
    return "update";
  return "other";
}

// Inbox rule cmdlets: privileged only when the rule forwards or redirects mail out of the mailbox.
const INBOX_RULE = /^(New|Set|Enable)-InboxRule$|^UpdateInboxRules$/i;
const FORWARDING_PARAM = /^(ForwardTo|ForwardAsAttachmentTo|RedirectTo|ForwardingSmtpAddress|ForwardingAddress)$/i;
// Exchange cmdlets that change configuration or permissions (admin audit log, RecordType 1).
const CHANGING_CMDLET =
  /^(Set|New|Add|Remove|Enable|Disable|Update|Grant|Revoke|Install|Uninstall|Import|Export|Start|Stop|Restore|Register|Unregister)-/;
const PERMISSION_CMDLET =
  /^(Add|Remove)-(MailboxPermission|RecipientPermission|MailboxFolderPermission|ADPermission|RoleGroupMember)$|^(New|Remove|Set)-ManagementRoleAssignment$/;
// Microsoft Entra (AzureActiveDirectory workload) operations that change roles, consent, credentials or policy.
const AAD_PRIVILEGED =
  /role|consent|permission grant|oauth2permissiongrant|app role assignment|credentials|certificates and secrets|policy|federation|domain|company information|partner|password|owner to (application|service principal)|add service principal|add application|delegated permission/i;
// SharePoint tenant/site administration: sharing policy, site collection admins, permission levels.
const SP_ADMIN =
  /^(SharingPolicyChanged|SiteCollectionAdminAdded|SiteCollectionAdminRemoved|SiteAdminChangeRequest|PermissionLevel(Added|Modified|Removed)|NetworkAccessPolicyChanged|DeviceAccessPolicyChanged|AllowedDataLocation\w+|GeoAdmin\w+|TenantSettingChanged|SiteCollectionSettingChanged|SharingInheritanceBroken|SitePermissionsModified|AddedToGroup|RemovedFromGroup|GroupAdded|GroupRemoved|GroupUpdated)$/;
const SP_SHARE =
  /^(SharingSet|SharingInvitationCreated|SharingInvitationAccepted|AddedToSecureLink|RemovedFromSecureLink|SecureLinkCreated|SecureLinkUpdated|AnonymousLinkCreated|AnonymousLinkUpdated|CompanyLinkCreated|SharingRevoked|AccessInvitationCreated)$/;
const EDISCOVERY = /ComplianceSearch|ComplianceCase|CaseHold|^(Search|Case|Hold|Export|Review)[A-Z]|eDiscovery/;

function classify(workload: string | null, op: string, r: Rec, params: Record<string, string> | null): Classified {
  const verb = verbOf(op);
  // eDiscovery (Purview): searches, exports, cases and holds read or take out mailbox/site content.
  if (workload === "SecurityComplianceCenter" || EDISCOVERY.test(op)) {
    const exporting = /Export|Download/i.test(op) || (params !== null && (params.Export === "True" || params.Action === "Export"));
    const activity = exporting ? "export" : /Search|Preview|ViewedResult/i.test(op) ? "query" : verb;
    return { uid: 6003, activity, privileged: true };
  }
  if (workload === "AzureActiveDirectory") {
    if (op === "UserLoggedIn" || op === "UserLoginFailed") return { uid: 3002, activity: "logon", privileged: false };
    if (/^Add member to role/i.test(op)) return { uid: 3005, activity: "assign_privileges", privileged: true };
    if (/^Remove member from role/i.test(op)) return { uid: 3005, activity: "revoke_privileges", privileged: true };
    if (/^Consent to application/i.test(op)) return { uid: 3005, activity: "consent", privileged: true };
    if (/^Add member to group/i.test(op)) return { uid: 3006, activity: "add_user", privileged: false };
    if (/^Remove member from group/i.test(op)) return { uid: 3006, activity: "remove_user", privileged: false };
    if (/^reset (user )?password/i.test(op)) return { uid: 3001, activity: "password_reset", privileged: true };
    if (/^change (user )?password/i.test(op)) return { uid: 3001, activity: "password_change", privileged: true };
    const mfaChange = modifiedNames(r).some((n) => /StrongAuthentication|Password/i.test(n));
    const privileged = AAD_PRIVILEGED.test(op) || mfaChange;
    if (/ user\.?$/i.test(op)) return { uid: 3001, activity: /password/i.test(op) ? "update" : verb, privileged };
    if (/group\.?$/i.test(op)) return { uid: 3006, activity: verb, privileged };
    if (/credentials|certificates and secrets/i.test(op)) return { uid: 3001, activity: "issue_credentials", privileged: true };
    return { uid: 6003, activity: verb, privileged };
  }
  if (workload === "Exchange") {
    if (INBOX_RULE.test(op)) {
      const forwards = params !== null && Object.keys(params).some((k) => FORWARDING_PARAM.test(k));
      return { uid: 6003, activity: verb === "other" ? "update" : verb, privileged: forwards };
    }
    if (PERMISSION_CMDLET.test(op))
      return { uid: 3005, activity: op.startsWith("Remove") ? "revoke_privileges" : "assign_privileges", privileged: true };
    if (/^[A-Z][a-z]+-[A-Za-z]+$/.test(op)) return { uid: 6003, activity: verb, privileged: CHANGING_CMDLET.test(op) };
    // Mailbox auditing (RecordType 2/3/50): actions on items of a mailbox.
    switch (op) {
      case "MailboxLogin":
        return { uid: 3002, activity: "logon", privileged: false };
      case "MailItemsAccessed":
      case "FolderBind":
      case "MessageBind":
      case "SearchQueryInitiated":
        return { uid: 6005, activity: "read", privileged: false };
      case "Send":
      case "SendAs":
      case "SendOnBehalf":
        return { uid: 6005, activity: "send", privileged: false };
      case "SoftDelete":
      case "HardDelete":
      case "MoveToDeletedItems":
        return { uid: 6005, activity: "delete", privileged: false };
      case "Create":
        return { uid: 6005, activity: "create", privileged: false };
      case "Update":
      case "Move":
      case "Copy":
        return { uid: 6005, activity: "update", privileged: false };
      case "AddFolderPermissions":
      case "ModifyFolderPermissions":
      case "RemoveFolderPermissions":
        return { uid: 3005, activity: op.startsWith("Remove") ? "revoke_privileges" : "assign_privileges", privileged: true };
    }
    return { uid: 6005, activity: verb, privileged: false };
  }
  if (workload === "SharePoint" || workload === "OneDrive") {
    if (SP_ADMIN.test(op)) {
      if (/Group/.test(op)) {
        const act: Record<string, string> = {
          AddedToGroup: "add_user",
          RemovedFromGroup: "remove_user",
          GroupAdded: "create",
          GroupRemoved: "delete",
        };
        return { uid: 3006, activity: act[op] ?? "update", privileged: true };
      }
      if (/Admin|PermissionLevel|SitePermissions/.test(op))
        return {
          uid: 3005,
          activity: /Added/.test(op) ? "assign_privileges" : /Removed/.test(op) ? "revoke_privileges" : "update",
          privileged: true,
        };
      return { uid: 6003, activity: "update", privileged: true }; // sharing, access and tenant policies/settings
    }
    // Sharing one file or folder is data access, not a policy change: kept as "share" with the target in extra.
    if (SP_SHARE.test(op)) return { uid: 6006, activity: "share", privileged: false };
    if (/^File(Accessed|AccessedExtended|Previewed)$/.test(op)) return { uid: 6006, activity: "read", privileged: false };
    // A single download is not privileged; bulk downloads are a pattern across events, not a record property.
    if (/^File(Downloaded|SyncDownloaded\w*)$/.test(op)) return { uid: 6006, activity: "download", privileged: false };
    if (/^File(Uploaded|SyncUploaded\w*)$/.test(op)) return { uid: 6006, activity: "upload", privileged: false };
    if (/^(File|Folder)/.test(op)) return { uid: 6006, activity: verb, privileged: false };
    return { uid: 6003, activity: verb, privileged: /Policy|Permission|Admin/.test(op) };
  }
  if (workload === "MicrosoftTeams") {
    if (op === "MemberAdded") return { uid: 3006, activity: "add_user", privileged: false };
    if (op === "MemberRemoved") return { uid: 3006, activity: "remove_user", privileged: false };
    if (op === "MemberRoleChanged") return { uid: 3006, activity: "assign_privileges", privileged: true };
    if (/Setting|Policy|AppInstalled|BotAddedToTeam|ConnectorAdded/.test(op))
      return { uid: 6003, activity: verb === "other" ? "update" : verb, privileged: true };
    return { uid: 6003, activity: verb, privileged: false };
  }
  return { uid: 6003, activity: verb, privileged: /Policy|Permission|RoleAssignment|Consent/.test(op) };
}

function statusOf(op: string, resultStatus: string | null): EventStatus {
  if (op === "UserLoginFailed") return "failure";
  if (resultStatus === null) return "unknown";
  const l = resultStatus.toLowerCase();
  if (l === "succeeded" || l === "success" || l === "true" || l === "partiallysucceeded") return "success";
  if (l === "failed" || l === "failure" || l === "false") return "failure";
  return "unknown";
}

/** A resource, once; `alternate` (another identifier people quote, e.g. a UPN) is kept only when it differs from id and name. */
function pushResource(out: EventResource[], type: string, id: string | null, name: string | null, alternate: string | null = null): void {
  if (id === null && name === null) return;
  if (out.some((r) => r.type === type && r.id === id && r.name === name)) return;
  out.push(alternate !== null && alternate !== name && alternate !== id ? { type, id, name, alternate_id: alternate } : { type, id, name });
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The directory object of an Entra record's Actor or Target list (IdentityTypeValuePair {ID, Type}; IdentityType 1 =
 * Name, 2 = Other, 5 = UPN): its type name, object id, name (the UPN when there is no Name entry) and UPN.
 */
function aadObjectOf(list: unknown[]): { type: string | null; id: string | null; name: string | null; upn: string | null } | null {
  let type: string | null = null;
  let id: string | null = null;
  let name: string | null = null;
  let upn: string | null = null;
  for (const e of list) {
    const v = keyText(field(e, "ID"));
    const t = field(e, "Type");
    if (v === null) continue;
    if (t === 2 || t === "2") {
      const prefixed = /^([A-Za-z]+)_([0-9a-f-]{36})$/i.exec(v);
      if (prefixed) {
        type ??= prefixed[1];
        id ??= prefixed[2];
      } else if (GUID.test(v)) id ??= v;
      else if (/^[A-Za-z]+$/.test(v)) type ??= v;
    } else if (t === 1 || t === "1") name ??= v;
    else if (t === 5 || t === "5") upn ??= v;
  }
  if (!type && !id && !name && !upn) return null;
  return { type, id, name: name ?? upn, upn };
}

function resourcesOf(workload: string | null, op: string, r: Rec, params: Record<string, string> | null): EventResource[] {
  const out: EventResource[] = [];
  const objectId = text(field(r, "ObjectId"));
  if (workload === "SharePoint" || workload === "OneDrive") {
    const fileName = text(field(r, "SourceFileName"));
    const itemType = text(field(r, "ItemType"));
    const siteUrl = text(field(r, "SiteUrl"));
    const isSite = itemType === "Site" || itemType === "Web" || (objectId !== null && objectId === siteUrl);
    if (!isSite && (fileName || objectId))
      pushResource(out, itemType === "Folder" ? "folder" : itemType === "List" ? "list" : "file", objectId, fileName);
    // The user or group given (or removed from) access: site collection admins, group members, sharing invitees.
    const member = text(field(r, "TargetUserOrGroupName"));
    if (member) pushResource(out, /group/i.test(text(field(r, "TargetUserOrGroupType")) ?? "") ? "group" : "user", null, member);
    // A site-level action names the site (web) it acted on by its URL in ObjectId.
    pushResource(out, "site", idText(field(r, "Site")), (isSite ? objectId : null) ?? siteUrl);
    return out;
  }
  if (workload === "Exchange") {
    // Admin cmdlets (RecordType 1) name the object they act on in ObjectId (the mailbox or rule identity path).
    const admin = /^[A-Z][a-z]+-[A-Za-z]+$/.test(op);
    if (INBOX_RULE.test(op)) pushResource(out, "inbox_rule", admin ? idText(objectId) : null, params?.Name ?? params?.Identity ?? objectId);
    // Mailbox audit records: the items acted on (AffectedItems of SoftDelete/HardDelete/Move, Item of others);
    // folder-permission records name the folder and the member given rights (Item.ParentFolder).
    const folderPermission = /FolderPermissions$/.test(op);
    for (const it of listAt(r, "AffectedItems").slice(0, 10))
      pushResource(out, "email", idText(field(it, "Id")) ?? idText(field(it, "InternetMessageId")), text(field(it, "Subject")));
    const item = recAt(r, "Item");
    const parent = recAt(item, "ParentFolder");
    if (folderPermission && parent) {
      pushResource(out, "folder", idText(field(parent, "Id")), text(field(parent, "Path")) ?? text(field(parent, "Name")));
      pushResource(out, "user", null, text(field(parent, "MemberUpn")) ?? idText(field(parent, "MemberSid")));
    } else if (item)
      pushResource(out, "email", idText(field(item, "InternetMessageId")) ?? idText(field(item, "Id")), text(field(item, "Subject")));
    const mailbox = text(field(r, "MailboxOwnerUPN")) ?? params?.Mailbox ?? (INBOX_RULE.test(op) ? null : (params?.Identity ?? null));
    const mailboxId = idText(field(r, "MailboxGuid")) ?? (admin && !INBOX_RULE.test(op) && mailbox ? idText(objectId) : null);
    pushResource(out, "mailbox", mailboxId, mailbox);
    // Mailbox / recipient permission grants: the member given rights (Add-MailboxPermission -User, -Trustee).
    if (PERMISSION_CMDLET.test(op)) pushResource(out, "user", null, params?.User ?? params?.Trustee ?? params?.Member ?? null);
    if (out.length === 0 && objectId) pushResource(out, "exchange_object", null, objectId);
    return out;
  }
  if (workload === "AzureActiveDirectory") {
    const role = modifiedValue(r, "Role.DisplayName");
    const roleId = modifiedValue(r, "Role.ObjectID");
    if (role || roleId) pushResource(out, "role", roleId, role);
    if (objectId && /^UserLog(gedIn|inFailed)$/.test(op)) {
      pushResource(out, "resource_application", objectId, null); // the application signed in to
      return out;
    }
    // Target (Entra directory audit): [{ID, Type}] with Type 2 = the object's ids ("User_<guid>", "<guid>",
    // and its type name "User"/"ServicePrincipal"/"Application"/"Group"), 1 = display name, 5 = UPN. A UPN that
    // differs from the kept id and name is the object's alternate_id (tickets name users by it).
    const target = aadObjectOf(listAt(r, "Target"));
    if (target && (target.id || target.name))
      pushResource(out, target.type ?? "directory_object", target.id, target.name ?? objectId, target.upn);
    else if (objectId)
      pushResource(
        out,
        /application|service principal|consent/i.test(op)
          ? "service_principal"
          : /group/i.test(op)
            ? "group"
            : emailShaped(objectId)
              ? "user"
              : "directory_object",
        objectId,
        null,
      );
    // The role or group member is the object; the role itself (ModifiedProperties) is the more specific target.
    return out;
  }
  if (workload === "MicrosoftTeams") {
    pushResource(out, "team", idText(field(r, "TeamGuid")), text(field(r, "TeamName")));
    for (const m of listAt(r, "Members")) pushResource(out, "user", idText(field(m, "UPN")), text(field(m, "DisplayName")));
    return out;
  }
  if (workload === "SecurityComplianceCenter") {
    const search = params?.SearchName ?? params?.Name ?? null;
    if (search) pushResource(out, "compliance_search", null, search);
    const c = params?.Case ?? null;
    if (c) pushResource(out, "ediscovery_case", null, c);
  }
  if (objectId) pushResource(out, "object", objectId, null);
  return out;
}

/**
 * The actor: UserKey (id) and UserId (login), kind from UserType, except where the record itself shows more:
 * Windows system principals (SYSTEM SIDs, NT AUTHORITY accounts) are system whatever UserType says; a
 * service principal (UserId ServicePrincipal_<id>) takes its display name from the Entra Actor list; SharePoint
 * app-only access ("app@sharepoint", UserKey claim i:0i.t|ms.sp.ext|<appId>@…) is the application
 * (ApplicationId / ApplicationDisplayName), a workload.
 */
function actorOf(
  r: Rec,
  workload: string | null,
  userType: string | null,
  userId: string | null,
  userKey: string | null,
): NormalizedEvent["actor"] {
  let kind: ActorKind = (userType && KIND_OF_USER_TYPE[userType]) || "unknown";
  if (isWindowsSystemPrincipal(userKey, userId)) kind = "system";
  const appOnly =
    (workload === "SharePoint" || workload === "OneDrive") &&
    (/^app@sharepoint$/i.test(userId ?? "") || /\|ms\.sp\.ext\|/i.test(userKey ?? ""));
  if (appOnly) {
    const appId = idText(field(r, "ApplicationId")) ?? /ms\.sp\.ext\|([0-9a-f-]{36})/i.exec(userKey ?? "")?.[1] ?? null;
    const appName = text(field(r, "ApplicationDisplayName")) ?? text(at(r, "AppAccessContext", "ClientAppName"));
    return { external_id: appId ?? userKey, name: appName ?? userId, login: userId, email: null, type: userType, kind_hint: "workload" };
  }
  const sp = /^ServicePrincipal_/i.test(userId ?? "") ? aadObjectOf(listAt(r, "Actor")) : null;
  if (sp) kind = kind === "system" ? kind : "workload";
  return {
    external_id: userKey,
    name: sp?.name ?? userId,
    login: userId,
    email: emailShaped(userId),
    type: userType,
    kind_hint: kind,
  };
}

/** Keys added by an Entra credential change (Add service principal credentials, Update application – Certificates and secrets management). */
function issuedKeysOf(r: Rec, op: string): IssuedCredential[] {
  if (!changesKeys(op)) return [];
  const owner = aadObjectOf(listAt(r, "Target"))?.id ?? null;
  return keysAdded(
    listAt(r, "ModifiedProperties")
      .filter((p) => text(field(p, "Name")) === "KeyDescription")
      .map((p) => ({ before: text(field(p, "OldValue")), after: text(field(p, "NewValue")), owner })),
  );
}

function normalizeRecord(r: Rec, shape: "management-api" | "purview-csv" | "log-analytics", row: Rec | null): NormalizedEvent {
  const op = text(field(r, "Operation")) ?? (row ? (text(row.Operations) ?? text(row.Operation)) : null);
  if (op === null) throw new NormalizeError("not a Microsoft 365 Unified Audit Log record: Operation is missing");
  const time =
    shape === "log-analytics"
      ? parseTime(field(r, "CreationTime"), columnOf(r, "CreationTime"), { usDates: true }) // TimeGenerated, as exported
      : field(r, "CreationTime") !== undefined || !row
        ? parseTime(field(r, "CreationTime"), "CreationTime")
        : parseTime(row.CreationDate, "CreationDate");

  const recordTypeRaw = field(r, "RecordType");
  const recordType =
    typeof recordTypeRaw === "number" ? recordTypeRaw : Number.isInteger(Number(text(recordTypeRaw))) ? Number(text(recordTypeRaw)) : null;
  const workloadText = text(field(r, "Workload"));
  const workload = workloadText ?? (recordType !== null ? (RECORD_TYPE_WORKLOAD[recordType] ?? null) : null);

  const userTypeRaw = field(r, "UserType");
  const userTypeNum =
    typeof userTypeRaw === "number" ? userTypeRaw : /^\d+$/.test(text(userTypeRaw) ?? "") ? Number(text(userTypeRaw)) : null;
  const userType = userTypeNum !== null ? (USER_TYPES[userTypeNum] ?? String(userTypeNum)) : text(userTypeRaw);
  const userId = idText(field(r, "UserId")) ?? (row ? (idText(row.UserIds) ?? idText(row.UserId)) : null);
  const userKey = idText(field(r, "UserKey"));
  const aac = recAt(r, "AppAccessContext");
  const actor = actorOf(r, workload, userType, userId, userKey);

  // AppAccessContext.AADSessionId is the Entra sign-in session; without it, Exchange mailbox audit records carry
  // the mailbox session (SessionId), a different, Exchange-only key.
  const sessionId = idText(field(aac, "AADSessionId"));
  const exchangeSession = workload === "Exchange" ? idText(field(r, "SessionId")) : null;
  const session: EventSession | null = sessionId
    ? { key: sessionId, key_type: "m365.AADSessionId", root_key: null, issuer: null }
    : exchangeSession
      ? { key: exchangeSession, key_type: "m365.exchange_session_id", root_key: null, issuer: null }
      : null;
  const tokenId = idText(field(aac, "UniqueTokenId"));
  const credential: Credential | null = tokenId
    ? {
        key: tokenId,
        key_type: "entra.unique_token_identifier",
        kind: "access_token",
        native_type: "UniqueTokenId",
        parent_key: null,
        parent_key_type: null,
        parent_kind: null,
      }
    : null;

  const appId =
    idText(field(aac, "ClientAppId")) ??
    idText(field(r, "AppId")) ??
    idText(field(r, "ClientAppId")) ??
    (workload === "AzureActiveDirectory" ? idText(field(r, "ApplicationId")) : null);
  const appName = text(field(aac, "ClientAppName")) ?? text(field(r, "ClientAppName"));
  const client = appId || appName ? { app_id: appId, app_name: appName } : null;

  const rawIp = text(field(r, "ClientIP")) ?? text(field(r, "ClientIPAddress")) ?? text(field(r, "ActorIpAddress"));
  // Loopback / unspecified addresses (::1 for actions Exchange runs itself) are not where anyone was.
  const ip = sourceIp(clientIp(rawIp), { loopback: "drop" });

  const params = nameValues(listAt(r, "Parameters"));
  const ext = nameValues(listAt(r, "ExtendedProperties"));
  const cls = classify(workload, op, r, params);
  const resultStatus = text(field(r, "ResultStatus"));
  const logonError = text(field(r, "LogonError"));
  const status = statusOf(op, resultStatus);

  return {
    schema_version: 1,
    platform: M365_PLATFORM,
    ...ocsfClass(cls.uid),
    activity: toActivity(cls.activity),
    event_name: op,
    time,
    status,
    status_detail: [resultStatus, logonError].filter((s) => s !== null).join(": ") || null,
    message: null,
    actor,
    session,
    credential,
    issued_credentials: workload === "AzureActiveDirectory" && status !== "failure" ? issuedKeysOf(r, op) : [],
    auth: null,
    client,
    src_endpoint: { ip, location: null },
    user_agent: text(field(r, "UserAgent")) ?? (ext ? (ext.UserAgent ?? null) : null),
    resources: resourcesOf(workload, op, r, params),
    privileged: cls.privileged,
    policy: null,
    jit: null,
    approval: null,
    correlation_id: idText(field(aac, "CorrelationId")) ?? idText(field(r, "CorrelationId")),
    native_id: idText(field(r, "Id")) ?? (row ? idText(row.RecordId) : null),
    extra: extraOf({
      shape,
      Workload: workloadText,
      RecordType: recordType ?? text(recordTypeRaw),
      UserType: userTypeNum,
      OrganizationId: idText(field(r, "OrganizationId")),
      ClientIP: rawIp !== ip ? rawIp : null,
      SessionId: idText(field(r, "SessionId")),
      ClientInfoString: text(field(r, "ClientInfoString")),
      IssuedAtTime: text(field(aac, "IssuedAtTime")),
      UserObjectId: idText(field(aac, "UserObjectId")),
      APIId: idText(field(aac, "APIId")),
      LogonError: logonError,
      Parameters: params,
      ExtendedProperties: ext,
      ModifiedProperties: workload === "AzureActiveDirectory" ? modifiedNames(r).join(", ") : null,
      TargetUserOrGroupName: text(field(r, "TargetUserOrGroupName")),
      TargetUserOrGroupType: text(field(r, "TargetUserOrGroupType")),
      OperationCount: typeof field(r, "OperationCount") === "number" ? field(r, "OperationCount") : null,
      ExternalAccess: typeof field(r, "ExternalAccess") === "boolean" ? field(r, "ExternalAccess") : null,
      AssociatedAdminUnits: row ? text(row.AssociatedAdminUnits) : null,
    }),
  };
}

function fromPurviewRow(row: Rec): NormalizedEvent {
  let audit: unknown;
  try {
    audit = JSON.parse(row.AuditData as string);
  } catch (err) {
    throw new NormalizeError(`Purview audit export row: AuditData is not valid JSON (${(err as Error).message})`);
  }
  if (!isRec(audit)) throw new NormalizeError("Purview audit export row: AuditData is not a JSON object");
  // Purview writes CreationDate in the row and CreationTime in AuditData; the record is read from AuditData.
  return normalizeRecord(audit, "purview-csv", row);
}

export function normalizeM365(input: unknown): NormalizedEvent[] {
  const { record } = unwrapPanther(input, /^Microsoft365\./, "Microsoft 365 Unified Audit Log");
  if (!isRec(record)) throw new NormalizeError("not a JSON object");
  if (isPurviewRow(record)) return [fromPurviewRow(record)];
  // A Log Analytics / Sentinel OfficeActivity row: the UAL record with some columns renamed.
  const office = officeRecordOf(record);
  if (office) {
    if (office.Operation === undefined) throw new NormalizeError("Log Analytics OfficeActivity row without Operation");
    return [normalizeRecord(office, "log-analytics", null)];
  }
  if (entraRecordOf(record)) {
    throw new NormalizeError("Log Analytics Entra ID row (sign-in or audit log table): belongs to the Microsoft Entra ID (entra) source", {
      belongsTo: "entra",
    });
  }
  if (record.AuditData !== undefined || record.CreationDate !== undefined) {
    throw new NormalizeError("Purview audit export row without an AuditData text column: the record cannot be read");
  }
  if (!isUalRecord(record)) {
    const missing = ["CreationTime", "Operation"].filter((k) => field(record, k) === undefined);
    throw new NormalizeError(
      missing.length
        ? `not a Microsoft 365 Unified Audit Log record: ${missing.join(" and ")} ${missing.length > 1 ? "are" : "is"} missing`
        : "not a Microsoft 365 Unified Audit Log record: none of RecordType, Workload, UserKey, OrganizationId",
    );
  }
  return [normalizeRecord(record, "management-api", null)];
}
