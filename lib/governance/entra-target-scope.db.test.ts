import { beforeAll, describe, expect, it } from "vitest";
import { system } from "@/lib/context/request-context";
import { pool } from "@/lib/db";
import { ingestRecords } from "@/test/factories";
import { runGovernanceChecks } from "./run-governance-checks";
import { governanceSettingsSchema } from "./settings";
import { checksByNativeId } from "./testing/checks-by-native-id";
import { at, expectItemScope, snAt } from "./testing/target-scope";
import type { GovernanceCheckItem } from "./types";

// A ticket names the Entra user acted on by userPrincipalName, the way change requests do, while the audit records
// name it by display name: Entra's directoryAudit targetResources[] {id, displayName, type: "User",
// userPrincipalName} and the Microsoft 365 unified audit log's AzureActiveDirectory Target list (IdentityType
// 2 = object ids and type, 1 = Name, 5 = UPN). The scope rule must see that exact UPN, in any case, as the object acted
// on, and never another UPN or a part of it. Each actor makes one "Add member to role" (a privileged admin-role
// change) on John Doe and has one ServiceNow change naming Microsoft Entra ID and one item.

const settings = governanceSettingsSchema.parse({ jitRequired: { entra: false, m365: false } });

const USER_ID = "5f0c2d1e-3b4a-4c5d-8e6f-7a8b9c0d1e2f";
const UPN = "jdoe@contoso.com";
const ROLE = "Helpdesk Administrator";

/** What each actor's change names besides the platform, and whether that names the object acted on. */
const ITEMS: [who: string, item: string, inScope: boolean][] = [
  ["upn", "JDoe@Contoso.COM", true],
  ["prefixed", "entra:jdoe@contoso.com", true],
  ["other", "mary.major@contoso.com", false],
  ["part", "doe@contoso.com", false],
  ["local", "jdoe", false],
];

const PLATFORMS = ["entra", "m365"] as const;
type Platform = (typeof PLATFORMS)[number];
/** Each platform's actors and records apart: minutes 0-9 Entra, 10-19 Microsoft 365. */
const slot = (p: Platform, i: number) => (p === "entra" ? i : 10 + i);
const actorUpn = (p: Platform, who: string) => `${p}-${who}.admin@contoso.com`;
const nativeId = (p: Platform, i: number) =>
  `${p === "entra" ? "Directory_" : ""}9a8b7c6d-0000-4e5f-8a9b-${`${slot(p, i)}`.padStart(12, "0")}`;

/** A Graph directoryAudit (GET /auditLogs/directoryAudits) of a role assignment to John Doe. */
const entraAudit = (who: string, i: number) => ({
  id: nativeId("entra", i),
  category: "RoleManagement",
  correlationId: `c0${`${i}`.padStart(6, "0")}-1111-4222-8333-944455556666`,
  result: "success",
  resultReason: "",
  activityDisplayName: "Add member to role",
  activityDateTime: at(slot("entra", i)),
  loggedByService: "Core Directory",
  operationType: "Assign",
  initiatedBy: {
    app: null,
    user: {
      id: `a0${`${i}`.padStart(6, "0")}-1111-4222-8333-944455556666`,
      displayName: null,
      userPrincipalName: actorUpn("entra", who),
      ipAddress: "198.51.100.7",
    },
  },
  targetResources: [
    {
      id: USER_ID,
      displayName: "John Doe",
      type: "User",
      userPrincipalName: UPN,
      groupType: null,
      modifiedProperties: [{ displayName: "Role.DisplayName", oldValue: null, newValue: `"${ROLE}"` }],
    },
  ],
  additionalDetails: [],
});

/** The same kind of change as the Microsoft 365 unified audit log records it (AzureActiveDirectory, RecordType 8). */
const m365Audit = (who: string, i: number) => ({
  CreationTime: at(slot("m365", i)).replace(/\.\d+Z$/, ""),
  Id: nativeId("m365", i),
  Operation: "Add member to role.",
  OrganizationId: "8f3c2a10-5b7d-4e21-9c4a-0d1e2f3a4b5c",
  RecordType: 8,
  UserKey: `10037FFE8D1E2F${i}`,
  UserType: 0,
  Version: 1,
  Workload: "AzureActiveDirectory",
  UserId: actorUpn("m365", who),
  ResultStatus: "Success",
  AzureActiveDirectoryEventType: 1,
  Actor: [
    { ID: `b0${`${i}`.padStart(6, "0")}-1111-4222-8333-944455556666`, Type: 0 },
    { ID: actorUpn("m365", who), Type: 5 },
  ],
  ObjectId: UPN,
  Target: [
    { ID: `User_${USER_ID}`, Type: 2 },
    { ID: USER_ID, Type: 2 },
    { ID: "User", Type: 2 },
    { ID: "John Doe", Type: 1 },
    { ID: UPN, Type: 5 },
  ],
  ModifiedProperties: [{ Name: "Role.DisplayName", NewValue: ROLE, OldValue: "" }],
});

const ticketKey = (p: Platform, i: number) => `CHG00${80000 + slot(p, i)}`;
const change = (p: Platform, who: string, i: number, item: string) => ({
  sys_id: `${slot(p, i)}`.padStart(32, "f"),
  number: ticketKey(p, i),
  sys_class_name: "change_request",
  short_description: `Make John Doe (${UPN}) a ${ROLE}`,
  type: "normal",
  state: "-1",
  approval: "approved",
  approval_set: snAt(slot(p, i) - 60),
  requested_by: { display_value: actorUpn(p, who), value: `${p}${who}`.padEnd(32, "0") },
  cmdb_ci: { display_value: "Microsoft Entra ID", value: "0".padEnd(32, "3") },
  u_target_resources: item,
  start_date: snAt(slot(p, i) - 30),
  end_date: snAt(slot(p, i) + 120),
  sys_updated_on: snAt(slot(p, i) - 90),
});

let checks = new Map<string, GovernanceCheckItem>();

beforeAll(async () => {
  await ingestRecords("entra-directory-audits-target-scope.json", { value: ITEMS.map(([who], i) => entraAudit(who, i)) });
  await ingestRecords(
    "m365-content-blob-target-scope.json",
    ITEMS.map(([who], i) => m365Audit(who, i)),
  );
  await ingestRecords("change_request-entra-target-scope.json", {
    result: PLATFORMS.flatMap((p) => ITEMS.map(([who, item], i) => change(p, who, i, item))),
  });
  await runGovernanceChecks({ ctx: system(), settings });
  checks = await checksByNativeId(100);
}, 120_000);

describe.each(PLATFORMS)("a ticket naming the %s user acted on by UPN", (p) => {
  it("the stored event keeps the display name as the target and the UPN as its alternate_id", async () => {
    const r = await pool().query<{ resources: { type: string }[]; targetName: string | null }>(
      `SELECT data->'resources' AS resources, "targetName" FROM event WHERE "nativeId" = $1`,
      [nativeId(p, 0)],
    );
    expect(r.rows[0].resources.find((x) => x.type === "User")).toEqual({ type: "User", id: USER_ID, name: "John Doe", alternate_id: UPN });
    expect(r.rows[0].targetName).toBe(p === "entra" ? "John Doe" : ROLE);
  });

  it.each(ITEMS.map(([who, item, inScope], i) => [item, inScope, who, i] as const))(
    "ticket item %s names the object acted on: %s",
    (item, inScope, who, i) => expectItemScope(checks.get(nativeId(p, i)), ticketKey(p, i), item, inScope),
  );
});
