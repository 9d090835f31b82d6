import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { toEventRow } from "@/lib/events/schema";
import { entra } from "../entra";
import { probeFile } from "../read";
import { detectPlatform } from "../registry";
import { assertRobust, describeSamples, eventAt, fixturePath, printResult, runFile, samplePath } from "../testing/samples";
import { NormalizeError } from "../types";
import { m365 } from "./index";
import { clientIp } from "./normalize";

const BLOB = fixturePath("m365", "audit-general-content-blob-20250304.json");
const CSV = fixturePath("m365", "AuditLog_2025-03-04_2025-03-05.csv");
const ctx = { fileName: "t.json", position: 0 };
const SESSION = "0f3b9c2e-7d41-4a8e-b5c6-91e2d7a4f803";
const blobRecords = () => JSON.parse(fs.readFileSync(BLOB, "utf8")) as Record<string, unknown>[];
const probe = (file: string, name = path.basename(file)) => probeFile(fs.readFileSync(file).subarray(0, 256 * 1024), name);

describe("m365 source: own fixtures (Management Activity API content blob, Purview CSV export)", () => {
  it("content blob: AADSessionId sessions, UniqueTokenId credentials, clients, privileged admin actions", async () => {
    const r = await runFile(m365, BLOB);
    printResult(r);
    expect(r.total).toBe(14);
    expect(r.rejected.size).toBe(0);

    // AAD logon: ClientIP "[v6]:port" → the IP; UserAgent from ExtendedProperties; client = ApplicationId.
    const login = eventAt(r, 0);
    expect(login).toMatchObject({
      class_uid: 3002,
      activity: "logon",
      status: "success",
      time: new Date("2025-03-04T11:58:01Z"), // CreationTime has no zone: UTC
      actor: {
        login: "alice.novak@contoso-fin.com",
        email: "alice.novak@contoso-fin.com",
        type: "Regular",
        kind_hint: "human",
        external_id: "8d2c4f1a-3e5b-4c7d-9a0e-1f2b3c4d5e6f",
      },
      src_endpoint: { ip: "2001:db8:4a1::17" },
      client: { app_id: "d3590ed6-52b3-4102-aeff-aad2292ab01c" },
      session: null,
      privileged: false,
    });
    expect(login.user_agent).toMatch(/^Mozilla\/5\.0/);
    expect(login.extra.ClientIP).toBe("[2001:db8:4a1::17]:51234");

    // MailItemsAccessed: session = AADSessionId, credential = UniqueTokenId (same key type as Entra's uniqueTokenIdentifier).
    const mail = eventAt(r, 1);
    expect(mail).toMatchObject({
      class_uid: 6005,
      activity: "read",
      session: { key: SESSION, key_type: "m365.AADSessionId", root_key: null, issuer: null },
      credential: {
        key: "wJk2Hq9xGUe4mZ0rT1pLAA",
        key_type: "entra.unique_token_identifier",
        kind: "access_token",
        native_type: "UniqueTokenId",
      },
      client: { app_id: "d3590ed6-52b3-4102-aeff-aad2292ab01c", app_name: "Microsoft Office" },
      resources: [{ type: "mailbox", id: "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d", name: "alice.novak@contoso-fin.com" }],
      privileged: false,
      native_id: "6c7d8e9f-0a1b-4c2d-8e3f-4a5b6c7d8e9f",
    });
    expect(mail.extra).toMatchObject({
      shape: "management-api",
      Workload: "Exchange",
      RecordType: 50,
      UserType: 0,
      SessionId: "b7e1c2d3-4f5a-4b6c-8d7e-9f0a1b2c3d4e",
      ClientInfoString: "Client=REST;Client=RESTSystem;;",
    });

    const send = eventAt(r, 2);
    expect(send).toMatchObject({ activity: "send", session: { key: SESSION } });
    expect(send.resources[0]).toEqual({
      type: "email",
      id: "<AM6PR04MB5678F00DBABE@AM6PR04MB5678.eurprd04.prod.outlook.com>",
      name: "RE: Q1 wire approvals",
    });

    // New-InboxRule forwarding out of the mailbox: privileged; ClientIP "ip:port" → ip; a second token in the same session.
    const fwd = eventAt(r, 3);
    expect(fwd).toMatchObject({
      class_uid: 6003,
      activity: "create",
      privileged: true,
      status: "success",
      src_endpoint: { ip: "198.51.100.77" },
      session: { key: SESSION },
      credential: { key: "Xq7pL2mNvEyT3kR9sB0cAA" },
      client: { app_id: "00000002-0000-0ff1-ce00-000000000000", app_name: "Office 365 Exchange Online" },
      // The rule's identity path (ObjectId) is its id.
      resources: [
        {
          type: "inbox_rule",
          id: "EURPR04A001.prod.outlook.com/Microsoft Exchange Hosted Organizations/contosofin.onmicrosoft.com/alice.novak\\.fin-archive",
          name: ".fin-archive",
        },
      ],
    });
    expect(fwd.extra.Parameters).toMatchObject({ ForwardTo: "ap-desk@outlook-mailbox.example.net" });
    // The same cmdlet moving mail to a folder is not privileged.
    expect(eventAt(r, 4)).toMatchObject({ event_name: "New-InboxRule", privileged: false, session: null, credential: null, client: null });

    // Admin cmdlet granting mailbox access.
    // Admin cmdlet granting mailbox access: the mailbox (ObjectId) and the member given rights (-User).
    expect(eventAt(r, 5)).toMatchObject({
      class_uid: 3005,
      activity: "assign_privileges",
      privileged: true,
      actor: { type: "Admin", kind_hint: "human" },
      resources: [
        {
          type: "mailbox",
          id: "EURPR04A001.prod.outlook.com/Microsoft Exchange Hosted Organizations/contosofin.onmicrosoft.com/cfo",
          name: "cfo@contoso-fin.com",
        },
        { type: "user", id: null, name: "alice.novak@contoso-fin.com" },
      ],
    });

    // SharePoint download: file then site; not privileged per record.
    const dl = eventAt(r, 6);
    expect(dl).toMatchObject({
      class_uid: 6006,
      activity: "download",
      privileged: false,
      status: "unknown",
      session: { key: SESSION },
      correlation_id: "3c1ea4a1-b07f-5000-a3f1-4e5b6c7d8e9f",
    });
    expect(dl.resources).toEqual([
      {
        type: "file",
        id: "https://contosofin.sharepoint.com/sites/Treasury/Shared Documents/Payments/2025-Q1-wires.xlsx",
        name: "2025-Q1-wires.xlsx",
      },
      { type: "site", id: "5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9", name: "https://contosofin.sharepoint.com/sites/Treasury/" },
    ]);
    // Sharing one file with a guest: data access evidence, the target in extra.
    const share = eventAt(r, 7);
    expect(share).toMatchObject({ activity: "share", privileged: false });
    expect(share.extra).toMatchObject({
      TargetUserOrGroupName: "ap-desk@outlook-mailbox.example.net",
      TargetUserOrGroupType: "Guest",
      Workload: "OneDrive",
    });
    // Tenant sharing policy change.
    expect(eventAt(r, 8)).toMatchObject({
      event_name: "SharingPolicyChanged",
      privileged: true,
      resources: [{ type: "site", id: "8b9c0d1e-2f3a-4b4c-d5e6-f7a8b9c0d1e2", name: "https://contosofin-admin.sharepoint.com/" }],
    });

    // Entra operations through the UAL: consent and role membership.
    // The target typed as Entra types it (Target list: ServicePrincipal_<id>, <id>, ServicePrincipal).
    expect(eventAt(r, 9)).toMatchObject({
      class_uid: 3005,
      activity: "consent",
      privileged: true,
      resources: [{ type: "ServicePrincipal", id: "2b7f9e31-6c4d-4a8e-b1f0-3d5e7a9c1b24" }],
    });
    expect(eventAt(r, 10)).toMatchObject({
      activity: "assign_privileges",
      privileged: true,
      resources: [
        { type: "role", id: "62e90394-69f5-4237-9190-012177145e10", name: "Global Administrator" },
        { type: "User", id: "9e8d7c6b-5a4f-4e3d-2c1b-0a9f8e7d6c5b", name: "svc-backup@contoso-fin.com" },
      ],
    });
    expect(eventAt(r, 11)).toMatchObject({
      class_uid: 3006,
      activity: "add_user",
      session: { key: SESSION },
      credential: null,
      resources: [
        { type: "team", name: "Treasury Ops" },
        { type: "user", id: "ravi.menon@contoso-fin.com" },
      ],
    });
    // eDiscovery export: privileged.
    expect(eventAt(r, 12)).toMatchObject({
      activity: "export",
      privileged: true,
      resources: [{ type: "compliance_search", name: "IR-2025-014-cfo-mailbox" }, { type: "object" }],
    });
    // Exchange's own service account; its loopback ClientIP "::1" is no client address.
    expect(eventAt(r, 13)).toMatchObject({
      actor: { type: "System", kind_hint: "system", external_id: "S-1-5-18", email: null },
      src_endpoint: { ip: null },
    });
    expect(eventAt(r, 13).extra.ClientIP).toBe("::1");

    expect(toEventRow(mail)).toMatchObject({
      sessionKey: SESSION,
      credentialKey: "wJk2Hq9xGUe4mZ0rT1pLAA",
      clientAppId: "d3590ed6-52b3-4102-aeff-aad2292ab01c",
      targetType: "mailbox",
    });
  });

  it("Purview CSV export: AuditData parsed to the same events as the API records; a broken AuditData is refused", async () => {
    const r = await runFile(m365, CSV);
    printResult(r);
    const api = await runFile(m365, BLOB);
    expect(r.total).toBe(4);
    expect(r.events.length).toBe(3);
    for (const [csvPos, apiPos] of [
      [0, 1],
      [1, 6],
      [2, 3],
    ]) {
      const a = eventAt(r, csvPos);
      const b = eventAt(api, apiPos);
      expect({ ...a, extra: { ...a.extra, shape: null } }).toEqual({ ...b, extra: { ...b.extra, shape: null } });
      expect(a.extra.shape).toBe("purview-csv");
    }
    expect([...r.rejected.keys()]).toEqual([expect.stringMatching(/^Purview audit export row: AuditData is not valid JSON/)]);
    expect(r.rejected.get([...r.rejected.keys()][0])).toEqual([3]);
  });

  it("older Purview exports (UserIds, Operations) and rows without AuditData", () => {
    const audit = blobRecords()[1];
    const [ev] = m365.normalize(
      {
        CreationDate: "2025-03-04T12:30:00.0000000Z",
        UserIds: "alice.novak@contoso-fin.com",
        Operations: "MailItemsAccessed",
        AuditData: JSON.stringify(audit),
      },
      ctx,
    );
    expect(ev).toMatchObject({ event_name: "MailItemsAccessed", session: { key: SESSION }, extra: { shape: "purview-csv" } });
    expect(() => m365.normalize({ CreationDate: "2025-03-04T12:30:00Z", UserIds: "a@b.c", Operations: "Send" }, ctx)).toThrow(
      /without an AuditData/,
    );
    expect(() => m365.normalize({ CreationDate: "x", AuditData: "[1,2]" }, ctx)).toThrow(/AuditData is not a JSON object/);
  });

  it("ClientIP forms: port, brackets, bare IPv6, mapped IPv4; anything else is no IP", () => {
    expect(clientIp("203.0.113.7")).toBe("203.0.113.7");
    expect(clientIp("203.0.113.7:51234")).toBe("203.0.113.7");
    expect(clientIp("[2001:db8::1]:443")).toBe("2001:db8::1");
    expect(clientIp("[2001:db8::1]")).toBe("2001:db8::1");
    expect(clientIp("2001:db8::1")).toBe("2001:db8::1");
    expect(clientIp("::ffff:203.0.113.7")).toBe("::ffff:203.0.113.7");
    for (const bad of ["", "Unknown", "mail.contoso.com", "[]", "999.1.1.1:80", null, 5]) expect(clientIp(bad)).toBeNull();
  });

  it("refuses what is not a UAL record, with the reason", () => {
    expect(() => m365.normalize({ CreationTime: "2025-03-04T12:30:00", Workload: "Exchange" }, ctx)).toThrow(/Operation is missing/);
    expect(() => m365.normalize({ Operation: "Send", CreationTime: "2025-03-04T12:30:00" }, ctx)).toThrow(/none of RecordType, Workload/);
    expect(() => m365.normalize({ ...blobRecords()[1], CreationTime: "yesterday" }, ctx)).toThrow(/unreadable event time in CreationTime/);
    expect(() => m365.normalize([1], ctx)).toThrow(NormalizeError);
    // Entra ID's own records stay Entra's.
    const entraAudit = JSON.parse(
      fs.readFileSync(path.resolve(process.cwd(), "lib/sources/entra/fixtures/graph-directory-audits-page.json"), "utf8"),
    ).value[0];
    expect(() => m365.normalize(entraAudit, ctx)).toThrow(/not a Microsoft 365 Unified Audit Log record/);
  });

  it("detection: content blobs and Purview CSVs are m365's (and Entra refuses them); Entra files stay Entra's", () => {
    for (const [file, name] of [
      [BLOB, "upload.json"],
      [CSV, "export.csv"],
      [path.resolve(process.cwd(), "lib/sources/entra/fixtures/m365-unified-audit-log.json"), "m365-unified-audit-log.json"],
    ] as const) {
      const p = probe(file, name);
      expect(detectPlatform(p)?.platform, name).toBe("m365");
      expect(entra.detect(p), name).toBeLessThan(0.5);
    }
    for (const f of [
      "graph-signins-page.json",
      "graph-directory-audits-page.json",
      "azure-monitor-signinlogs.json",
      "azure-monitor-auditlogs.ndjson",
    ]) {
      const p = probe(path.resolve(process.cwd(), "lib/sources/entra/fixtures", f));
      expect(m365.detect(p), f).toBe(0);
      expect(detectPlatform(p)?.platform, f).toBe("entra");
    }
    // Entra refuses every record of the blob with its m365 reason.
    for (const rec of blobRecords()) expect(() => entra.normalize(rec, ctx)).toThrow(/belongs to the Microsoft 365 \(m365\) source/);
  });

  it(`never crashes on damaged records (fast-check, ${process.env.FC_RUNS ?? 2000} runs)`, () => {
    const audit = blobRecords();
    const rows = [
      {
        RecordId: audit[1].Id,
        CreationDate: "2025-03-04T12:30:00.0000000Z",
        RecordType: "ExchangeItemAggregated",
        Operation: "MailItemsAccessed",
        UserId: "alice.novak@contoso-fin.com",
        AuditData: JSON.stringify(audit[1]),
        AssociatedAdminUnits: "",
      },
      {
        CreationDate: "2025-03-04T12:33:45Z",
        UserIds: "alice.novak@contoso-fin.com",
        Operations: "New-InboxRule",
        AuditData: JSON.stringify(audit[3]),
      },
    ];
    const panther = { _source_file: "rules/x.yml", _test_name: "t", _log_type: "Microsoft365.Audit.Exchange", event: audit[3] };
    const { normalized, rejected } = assertRobust(m365, [...audit, ...rows, panther]);
    console.log(`m365 robustness: ${normalized} normalized, ${rejected} rejected`);
    expect(normalized).toBeGreaterThan(0);
  });

  it("keeps a target user's UPN (Target Type 5) as its alternate_id when a Name (Type 1) is the kept name", () => {
    // The blob's "Add member to role." names the user by object id and UPN only: the UPN is the name, not repeated.
    const upnOnly = blobRecords()[10];
    const [plain] = m365.normalize(upnOnly, ctx);
    const user = { type: "User", id: "9e8d7c6b-5a4f-4e3d-2c1b-0a9f8e7d6c5b", name: "svc-backup@contoso-fin.com" };
    expect(plain.resources.find((r) => r.type === "User")).toEqual(user);
    // With a display name in the Target list (IdentityType 1 = Name), the name is that and the UPN its alternate_id.
    const named = { ...upnOnly, Target: [...(upnOnly.Target as unknown[]), { ID: "Backup Service", Type: 1 }] };
    const [ev] = m365.normalize(named, ctx);
    expect(ev.resources.find((r) => r.type === "User")).toEqual({
      ...user,
      name: "Backup Service",
      alternate_id: "svc-backup@contoso-fin.com",
    });
    // The event table's target columns are those of the first resource (the role), unchanged.
    expect(toEventRow(ev)).toMatchObject({ targetType: "role", targetName: "Global Administrator" });
  });

  it("types Windows system principals and SharePoint app-only access by the record, not by UserType", () => {
    const base = { CreationTime: "2025-03-04T10:20:10", OrganizationId: "o1", Version: 1 };
    // NT AUTHORITY\SYSTEM with UserType 0 (Regular): still the machine, and its "::1" is no client address.
    const [sys] = m365.normalize(
      {
        ...base,
        Id: "a",
        RecordType: 1,
        Workload: "Exchange",
        Operation: "Set-Mailbox",
        UserType: 0,
        UserKey: "S-1-5-18",
        UserId: "NT AUTHORITY\\SYSTEM (w3wp)",
        ClientIP: "::1",
        ResultStatus: "True",
      },
      { fileName: "x.json", position: 0 },
    );
    expect(sys).toMatchObject({ actor: { kind_hint: "system", external_id: "S-1-5-18" }, src_endpoint: { ip: null } });
    const [network] = m365.normalize(
      {
        ...base,
        Id: "b",
        RecordType: 1,
        Workload: "Exchange",
        Operation: "Set-Mailbox",
        UserType: 2,
        UserKey: "S-1-5-20",
        UserId: "NT AUTHORITY\\NETWORK SERVICE",
        ClientIP: "0.0.0.0",
      },
      { fileName: "x.json", position: 1 },
    );
    expect(network).toMatchObject({ actor: { kind_hint: "system" }, src_endpoint: { ip: null } });
    // The other well-known service principals: an IIS application pool identity (by SID or by account name) and
    // the IIS anonymous user are system actors too, whatever UserType says.
    for (const [i, UserKey, UserId] of [
      [10, "S-1-5-82-3006700770-424185619-1745488364-794895919-4004696415", "IIS APPPOOL\\MSExchangeOWAAppPool"],
      [11, "Not Available", "IIS APPPOOL\\MSExchangeServicesAppPool"],
      [12, "S-1-5-17", "NT AUTHORITY\\IUSR"],
    ] as const) {
      const [e] = m365.normalize(
        { ...base, Id: `w${i}`, RecordType: 1, Workload: "Exchange", Operation: "Set-Mailbox", UserType: 0, UserKey, UserId },
        { fileName: "x.json", position: i },
      );
      expect(e.actor.kind_hint, UserId).toBe("system");
    }
    const [app] = m365.normalize(
      {
        ...base,
        Id: "c",
        RecordType: 6,
        Workload: "SharePoint",
        Operation: "FileDownloaded",
        UserType: 0,
        UserKey: "i:0i.t|ms.sp.ext|2b3c4d5e-0006-4f60-8a7b-9c0d1e2f3a06@8f3c2a10-5b7d-4e21-9c4a-0d1e2f3a4b5c",
        UserId: "app@sharepoint",
        ApplicationId: "2b3c4d5e-0006-4f60-8a7b-9c0d1e2f3a06",
        ApplicationDisplayName: "backup-connector",
        ObjectId: "https://example.sharepoint.com/sites/finance/Shared Documents/a.xlsx",
        SourceFileName: "a.xlsx",
      },
      { fileName: "x.json", position: 2 },
    );
    expect(app.actor).toMatchObject({
      external_id: "2b3c4d5e-0006-4f60-8a7b-9c0d1e2f3a06",
      name: "backup-connector",
      kind_hint: "workload",
    });
  });
});

describeSamples("m365 source: public samples", () => {
  const file = samplePath("entra_m365/panther_rule_tests_entra_m365.jsonl");

  it("Panther entra_m365: the 19 Microsoft365.* records normalized, the Entra (Azure.Audit) records refused with a reason", async () => {
    const r = await runFile(m365, file);
    printResult(r);
    expect(r.total).toBe(65);
    expect(r.events.length).toBe(19);
    expect([...r.rejected.keys()]).toEqual(["Panther Azure.Audit record: not a Microsoft 365 Unified Audit Log record"]);
    const lines = fs
      .readFileSync(file, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { _log_type: string });
    for (const e of r.events) expect(lines[e.position]._log_type).toMatch(/^Microsoft365\./);
    // And the Entra source refuses exactly these 19 with its m365 reason.
    const byEntra = await runFile(entra, file);
    const m365Reasons = [...byEntra.rejected].filter(([reason]) => /m365/.test(reason)).flatMap(([, p]) => p);
    expect(m365Reasons.sort((a, b) => a - b)).toEqual(r.events.map((e) => e.position).sort((a, b) => a - b));

    const all = r.events.map((e) => e.events[0]);
    // Failed logon: failure whatever ResultStatus says, LogonError kept.
    expect(all.find((e) => e.event_name === "UserLoginFailed")).toMatchObject({
      status: "failure",
      status_detail: "Success: InvalidUserNameOrPassword",
      class_uid: 3002,
    });
    // SharePoint sharing carries AppAccessContext.AADSessionId.
    expect(
      all
        .filter((e) => e.event_name === "AddedToSecureLink")
        .every((e) => e.session?.key === "aa-bb-cc" && e.correlation_id === "dd-ee-ff"),
    ).toBe(true);
    // All-lowercase Exchange copies: forwarding changes are privileged, a move-to-folder rule is not; "ip:port" → ip.
    expect(all.filter((e) => e.event_name === "Set-Mailbox").every((e) => e.privileged && e.actor.type === "Admin")).toBe(true);
    const rules = all.filter((e) => e.event_name === "New-InboxRule");
    expect(rules.map((e) => e.privileged)).toEqual([true, true, false]);
    expect(rules[2].src_endpoint.ip).toBe("1.2.3.4");
    expect(rules[2].time.toISOString()).toBe("2025-07-07T09:11:11.000Z");
    // MFA method removed by the system: an Entra directory change, privileged, actor kind system; UserKey "Not Available" → null.
    expect(all.find((e) => e.event_name === "Update user.")).toMatchObject({
      privileged: true,
      actor: { type: "System", kind_hint: "system", external_id: null },
    });
  });
});
