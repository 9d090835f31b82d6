import { beforeAll, describe, expect, it } from "vitest";
import { system } from "@/lib/context/request-context";
import { pool } from "@/lib/db";
import { ingestRecords } from "@/test/factories";
import { runGovernanceChecks } from "./run-governance-checks";
import { governanceSettingsSchema } from "./settings";
import { checksByNativeId } from "./testing/checks-by-native-id";
import { at, expectItemScope, snAt } from "./testing/target-scope";
import type { GovernanceCheckItem } from "./types";

// A ticket names the Okta user acted on by login (Okta's target alternateId), the way change requests do: the
// scope rule must see that exact login, in any case, as the object acted on, and never another login or a part of
// it. Each actor makes one admin-role grant on John Doe and has one ServiceNow change naming Okta and one item.

const settings = governanceSettingsSchema.parse({ jitRequired: { okta: false } });

const TARGET = { id: "00u1jdoe000000000697", type: "User", alternateId: "jdoe@example.com", displayName: "John Doe", detailEntry: null };

/** What each actor's change names besides the platform, and whether that names the object acted on. */
const ITEMS: [who: string, item: string, inScope: boolean][] = [
  ["login", "JDoe@Example.COM", true],
  ["other", "mary.major@example.com", false],
  ["part", "doe@example.com", false],
  ["local", "jdoe", false],
];

const grantEvent = (who: string, i: number) => ({
  uuid: `0c0ffee0-0000-4000-8000-00000000000${i}`,
  published: at(i),
  eventType: "user.account.privilege.grant",
  displayMessage: "Grant user privilege",
  severity: "INFO",
  actor: { id: `00u1${who}`.padEnd(20, "0"), type: "User", alternateId: `${who}.admin@example.com`, displayName: `${who} admin` },
  client: { ipAddress: "198.51.100.7", userAgent: { rawUserAgent: "Mozilla/5.0" } },
  authenticationContext: { externalSessionId: `idx${who}`.padEnd(24, "0") },
  outcome: { result: "SUCCESS" },
  debugContext: { debugData: { privilegeGranted: "Help Desk administrator" } },
  transaction: { type: "WEB", id: `Z${who}`.padEnd(20, "0") },
  target: [TARGET],
});

const change = (who: string, i: number, item: string) => ({
  sys_id: `${i}`.padStart(32, "e"),
  number: `CHG00${70000 + i}`,
  sys_class_name: "change_request",
  short_description: "Make John Doe (jdoe@example.com) a Help Desk administrator in Okta",
  type: "normal",
  state: "-1",
  approval: "approved",
  approval_set: snAt(-60),
  requested_by: { display_value: `${who}.admin@example.com`, value: `${who}`.padEnd(32, "0") },
  cmdb_ci: { display_value: "Okta", value: "0".padEnd(32, "2") },
  u_target_resources: item,
  start_date: snAt(-30),
  end_date: snAt(120),
  sys_updated_on: snAt(-90),
});

let checks = new Map<string, GovernanceCheckItem>();

beforeAll(async () => {
  await ingestRecords(
    "okta-system-log-target-scope.json",
    ITEMS.map(([who], i) => grantEvent(who, i)),
  );
  await ingestRecords("change_request-okta-target-scope.json", { result: ITEMS.map(([who, item], i) => change(who, i, item)) });
  await runGovernanceChecks({ ctx: system(), settings });
  checks = await checksByNativeId(100);
}, 120_000);

describe("a ticket naming the Okta user acted on by login", () => {
  it("the stored event keeps the target's login as the resource's alternate_id", async () => {
    const r = await pool().query<{ resources: unknown }>(`SELECT data->'resources' AS resources FROM event WHERE "nativeId" = $1`, [
      grantEvent("login", 0).uuid,
    ]);
    expect(r.rows[0].resources).toEqual([{ type: "User", id: TARGET.id, name: "John Doe", alternate_id: "jdoe@example.com" }]);
  });

  it.each(ITEMS.map(([who, item, inScope], i) => [item, inScope, who, i] as const))(
    "ticket item %s names the object acted on: %s",
    (item, inScope, who, i) => expectItemScope(checks.get(grantEvent(who, i).uuid), `CHG00${70000 + i}`, item, inScope),
  );
});
