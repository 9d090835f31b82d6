import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";

// The demo dataset: a few days of a fictional company (Example Corp, example-corp.test) in each platform's own
// export shape and file naming, plus ground-truth.json saying which records form which session, which
// sessions link across platforms and which credential came from which — for the project's own tests.
// Deterministic: every random choice comes from SHA-256 of (seed, counter), no clock, so the same seed gives
// byte-identical files. --scale multiplies the background (people and their activity), not the stories.
// Addresses come from the documentation ranges (RFC 5737) and one NAT address; domains are reserved names.

export type DemoOptions = { seed: number; scale?: number; outDir: string; start?: string };
export type DemoSummary = { files: number; records: number; perPlatform: Record<string, number>; outDir: string; groundTruth: string };

type Truth = { session: string | null; identity: string; credential: string | null };
type FileKind = "json-array" | "envelope" | "ndjson" | "csv";
type DemoFile = {
  rel: string;
  platform: string;
  kind: FileKind;
  envelope?: string;
  gzip?: boolean;
  header?: string[];
  records: unknown[];
  truth: Truth[];
};

export type GroundTruth = {
  seed: number;
  scale: number;
  start: string;
  files: { path: string; platform: string; records: number }[];
  identities: {
    id: string;
    kind: string;
    name: string;
    owner: string | null;
    accounts: { platform: string; externalId: string; login: string }[];
  }[];
  credentials: { id: string; kind: string; platform: string; externalId: string; parentId: string | null }[];
  sessions: {
    id: string;
    platform: string;
    identity: string;
    credential: string | null;
    startedAt: string;
    endedAt: string;
    story: string | null;
    keyed: boolean;
  }[];
  events: {
    file: string;
    index: number;
    platform: string;
    nativeId: string | null;
    session: string | null;
    identity: string;
    credential: string | null;
  }[];
  links: { from: string; to: string; kind: "idp_to_app" | "credential_lineage" | "approval" | "jit_grant" }[];
  approvals: { id: string; system: string; ticketKey: string; sessions: string[] }[];
  grants: { id: string; grantId: string; sessions: string[] }[];
  stories: { id: string; title: string; sessions: string[]; expected: string[] }[];
};

const DOMAIN = "example-corp.test";
const NAT_IP = "192.0.2.10";
const FIRST = ["maria", "dana", "lee", "sam", "alex", "kim", "noor", "ivan", "ana", "tom", "eva", "raj", "lena", "omar", "jo", "mei"];
const LAST = [
  "lopez",
  "ops",
  "chen",
  "patel",
  "novak",
  "berg",
  "haddad",
  "ivanov",
  "silva",
  "kowal",
  "meyer",
  "rao",
  "fischer",
  "nasser",
  "park",
  "wu",
];
const UA_MAC = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const UA_PHONE =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";

class Rand {
  private n = 0;
  constructor(private readonly seed: number) {}
  /** A uniform number in [0, 1). */
  next(): number {
    const h = createHash("sha256").update(`${this.seed}:${this.n++}`).digest();
    return h.readUInt32BE(0) / 2 ** 32;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)];
  }
  hex(len: number): string {
    let s = "";
    while (s.length < len) s += createHash("sha256").update(`${this.seed}:h:${this.n++}`).digest("hex");
    return s.slice(0, len);
  }
  alnum(len: number): string {
    const abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let s = "";
    for (let i = 0; i < len; i++) s += abc[Math.floor(this.next() * abc.length)];
    return s;
  }
  uuid(): string {
    const h = this.hex(32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
}

type Person = {
  id: string;
  first: string;
  last: string;
  email: string;
  name: string;
  oktaId: string;
  sfId: string;
  slackId: string;
  gId: string;
  ghLogin: string;
  ghId: number;
  laptopIp: string;
  phoneIp: string;
};

export function generateDemo(opts: DemoOptions): DemoSummary {
  const seed = opts.seed;
  const scale = Math.max(1, Math.floor(opts.scale ?? 1));
  const start = Date.parse(opts.start ?? "2026-11-23T00:00:00Z");
  if (Number.isNaN(start)) throw new Error(`--start is not a date: ${opts.start}`);
  const r = new Rand(seed);
  const iso = (ms: number) => new Date(ms).toISOString();
  const isoS = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
  const sfStamp = (ms: number) =>
    iso(ms)
      .replace(/[-:TZ]/g, "")
      .replace(/^(\d{14})\.(\d{3})$/, "$1.$2");
  const snowStamp = (ms: number) => iso(ms).replace("T", " ").replace("Z", " +0000");

  const gt: GroundTruth = {
    seed,
    scale,
    start: iso(start),
    files: [],
    identities: [],
    credentials: [],
    sessions: [],
    events: [],
    links: [],
    approvals: [],
    grants: [],
    stories: [],
  };
  const files = new Map<string, DemoFile>();
  const file = (rel: string, platform: string, kind: FileKind, extra: Partial<DemoFile> = {}): DemoFile => {
    let f = files.get(rel);
    if (!f) {
      f = { rel, platform, kind, records: [], truth: [], ...extra };
      files.set(rel, f);
    }
    return f;
  };
  const add = (f: DemoFile, record: unknown, truth: Truth) => {
    f.records.push(record);
    f.truth.push(truth);
  };
  const session = (
    id: string,
    platform: string,
    identity: string,
    credential: string | null,
    story: string | null,
    keyed: boolean,
    t0: number,
    t1: number,
  ) => {
    gt.sessions.push({ id, platform, identity, credential, startedAt: iso(t0), endedAt: iso(t1), story, keyed });
    return id;
  };
  const identity = (
    id: string,
    kind: string,
    name: string,
    owner: string | null,
    accounts: { platform: string; externalId: string; login: string }[],
  ) => gt.identities.push({ id, kind, name, owner, accounts });
  const credential = (id: string, kind: string, platform: string, externalId: string, parentId: string | null) =>
    gt.credentials.push({ id, kind, platform, externalId, parentId });

  // ---- people and NHIs
  const people: Person[] = [];
  for (let i = 0; i < 10 * scale; i++) {
    const first = FIRST[i % FIRST.length];
    const last = LAST[Math.floor(i / FIRST.length + i) % LAST.length];
    const suffix = i >= FIRST.length ? String(Math.floor(i / FIRST.length)) : "";
    const email = `${first}.${last}${suffix}@${DOMAIN}`;
    const p: Person = {
      id: `person:${first}.${last}${suffix}`,
      first,
      last,
      email,
      name: `${first[0].toUpperCase()}${first.slice(1)} ${last[0].toUpperCase()}${last.slice(1)}`,
      oktaId: `00u${r.alnum(17)}`,
      sfId: `005Hs0000${r.alnum(6)}`,
      slackId: `W0${r.alnum(8).toUpperCase()}`,
      gId: String(100000000000000000000 + r.int(1, 899999999) * 1000).slice(0, 21),
      ghLogin: `${first}${last[0]}${suffix}`,
      ghId: 5000000 + i,
      laptopIp: `203.0.113.${20 + (i % 200)}`,
      phoneIp: `198.51.100.${20 + (i % 200)}`,
    };
    people.push(p);
    identity(p.id, "human", p.name, null, [
      { platform: "okta", externalId: p.oktaId, login: email },
      { platform: "salesforce", externalId: p.sfId, login: email },
      { platform: "slack", externalId: p.slackId, login: email },
      { platform: "google-workspace", externalId: p.gId, login: email },
      { platform: "github", externalId: String(p.ghId), login: p.ghLogin },
    ]);
  }
  const dana = people[1]; // the admin of story 1
  const maria = people[0];

  const days = 3;
  const dayFile = (d: number) => iso(start + d * 86400000).slice(0, 10);
  const oktaFile = (d: number) => file(`okta/okta-system-log-${dayFile(d)}.json`, "okta", "json-array");
  const sfFile = (d: number, type: string) =>
    file(`salesforce/${dayFile(d)}_${type}.csv`, "salesforce", "csv", { header: SF_HEADERS[type] });
  const slackFile = (d: number) => file(`slack/slack-audit-logs-${dayFile(d)}.json`, "slack", "envelope", { envelope: "entries" });
  const gwsFile = (d: number) =>
    file(`google-workspace/reports-activities-${dayFile(d)}.json`, "google-workspace", "envelope", { envelope: "items" });
  const ghFile = (d: number) => file(`github/github-audit-${dayFile(d)}.jsonl`, "github", "ndjson");

  // ---- writers (each returns nothing; truth goes with the record)
  const oktaEvent = (
    f: DemoFile,
    t: number,
    p: { oktaId: string; email: string; name: string },
    eventType: string,
    sessionKey: string,
    ip: string,
    ua: string,
    truth: Truth,
    target: unknown[] = [],
  ) =>
    add(
      f,
      {
        uuid: r.uuid(),
        published: iso(t),
        eventType,
        version: "0",
        severity: "INFO",
        displayMessage: eventType === "user.session.start" ? "User login to Okta" : "User single sign on to app",
        actor: { id: p.oktaId, type: "User", alternateId: p.email, displayName: p.name, detailEntry: null },
        client: {
          userAgent: { rawUserAgent: ua, os: ua.includes("iPhone") ? "iOS" : "Mac OS X", browser: "CHROME" },
          zone: "null",
          device: ua.includes("iPhone") ? "Mobile" : "Computer",
          id: null,
          ipAddress: ip,
          geographicalContext: { city: "Lisbon", state: "Lisbon", country: "Portugal", postalCode: null, geolocation: null },
        },
        outcome: { result: "SUCCESS", reason: null },
        transaction: { type: "WEB", id: r.alnum(24), detail: {} },
        authenticationContext: {
          authenticationProvider: null,
          credentialProvider: null,
          credentialType: eventType === "user.session.start" ? "PASSWORD" : null,
          issuer: null,
          interface: null,
          authenticationStep: 0,
          externalSessionId: sessionKey,
          rootSessionId: sessionKey,
        },
        securityContext: { asNumber: null, asOrg: null, isp: null, domain: null, isProxy: false },
        debugContext: { debugData: { requestId: r.alnum(20) } },
        request: { ipChain: [{ ip, geographicalContext: null, version: "V4", source: null }] },
        target,
      },
      truth,
    );

  const sfRow = (f: DemoFile, type: string, t: number, values: Record<string, string>, truth: Truth) => {
    const row: Record<string, string> = {};
    for (const h of SF_HEADERS[type]) row[h] = "";
    Object.assign(
      row,
      {
        EVENT_TYPE: type,
        TIMESTAMP: sfStamp(t),
        TIMESTAMP_DERIVED: iso(t),
        REQUEST_ID: `4f${r.alnum(18)}-`,
        ORGANIZATION_ID: "00D5g000004XyZa",
      },
      values,
    );
    add(f, row, truth);
  };

  const slackEntry = (
    f: DemoFile,
    t: number,
    action: string,
    actor: { id: string; name: string; email?: string },
    entity: unknown,
    ip: string,
    ua: string,
    sessionId: number | null,
    truth: Truth,
    extra: Record<string, unknown> = {},
  ) =>
    add(
      f,
      {
        id: r.uuid(),
        date_create: Math.floor(t / 1000),
        action,
        actor: {
          type: "user",
          user: { id: actor.id, name: actor.name, ...(actor.email ? { email: actor.email } : {}), team: "E0DEMO001" },
        },
        entity,
        context: {
          location: { type: "workspace", id: "T0DEMO001", name: "example-corp", domain: "example-corp" },
          ua,
          ip_address: ip,
          ...(sessionId ? { session_id: sessionId } : {}),
          ...extra,
        },
      },
      truth,
    );

  const gwsActivity = (f: DemoFile, t: number, app: string, actor: Record<string, unknown>, ip: string, events: unknown[], truth: Truth) =>
    add(
      f,
      {
        kind: "admin#reports#activity",
        id: { time: iso(t), uniqueQualifier: String(r.int(1, 2 ** 31)), applicationName: app, customerId: "C0demo01" },
        actor,
        ipAddress: ip,
        events,
      },
      truth,
    );

  // ---- background: each person, each working day: an Okta session (laptop), SSO into 1-2 apps.
  const apps = ["Salesforce.com", "Slack", "Google Workspace"] as const;
  for (let d = 0; d < days; d++) {
    for (const [pi, p] of people.entries()) {
      if (r.next() < 0.15) continue; // not everyone works every day
      const t0 = start + d * 86400000 + (7 + r.int(0, 3)) * 3600000 + r.int(0, 3599) * 1000;
      const oktaKey = `102${r.alnum(22)}`;
      const oktaSid = `s:okta:${oktaKey}`;
      const ua = UA_MAC;
      const ip = pi % 4 === 3 ? NAT_IP : p.laptopIp; // some people sit behind the office NAT
      let tEnd = t0;
      const okf = oktaFile(d);
      oktaEvent(okf, t0, p, "user.session.start", oktaKey, ip, ua, { session: oktaSid, identity: p.id, credential: null });
      const chosen = [apps[r.int(0, 2)], ...(r.next() < 0.5 ? [apps[r.int(0, 2)]] : [])].filter((a, i, xs) => xs.indexOf(a) === i);
      for (const app of chosen) {
        const ts = tEnd + r.int(20, 300) * 1000;
        oktaEvent(okf, ts, p, "user.authentication.sso", oktaKey, ip, ua, { session: oktaSid, identity: p.id, credential: null }, [
          { id: `0oa${r.alnum(10)}`, type: "AppInstance", alternateId: app, displayName: app, detailEntry: null },
        ]);
        const ta = ts + r.int(2, 20) * 1000;
        let last = ta;
        if (app === "Salesforce.com") {
          const loginKey = r.alnum(16);
          const sessionKey = r.alnum(16);
          const sid = `s:salesforce:${sessionKey}`;
          sfRow(
            sfFile(d, "Login"),
            "Login",
            ta,
            {
              USER_ID: p.sfId,
              USER_NAME: p.email,
              LOGIN_KEY: loginKey,
              SESSION_KEY: sessionKey,
              CLIENT_IP: ip,
              SOURCE_IP: ip,
              LOGIN_STATUS: "LOGIN_NO_ERROR",
              BROWSER_TYPE: ua,
              USER_TYPE: "Standard",
              URI: "/saml/SSO",
              AUTHENTICATION_METHOD_REFERENCE: "SAML2",
            },
            { session: sid, identity: p.id, credential: null },
          );
          for (let k = 0; k < r.int(1, 3 * scale); k++) {
            last += r.int(30, 600) * 1000;
            sfRow(
              sfFile(d, "URI"),
              "URI",
              last,
              {
                USER_ID: p.sfId,
                SESSION_KEY: sessionKey,
                LOGIN_KEY: loginKey,
                CLIENT_IP: ip,
                URI: `/lightning/r/Account/001${r.alnum(12)}/view`,
                USER_TYPE: "Standard",
                REQUEST_STATUS: "S",
              },
              { session: sid, identity: p.id, credential: null },
            );
          }
          session(sid, "salesforce", p.id, null, null, true, ta, last);
          gt.links.push({ from: oktaSid, to: sid, kind: "idp_to_app" });
        } else if (app === "Slack") {
          const sessionId = r.int(2000000000000, 2999999999999);
          const sid = `s:slack:${sessionId}`;
          slackEntry(
            slackFile(d),
            ta,
            "user_login",
            { id: p.slackId, name: p.name, email: p.email },
            { type: "user", user: { id: p.slackId, name: p.name, email: p.email, team: "E0DEMO001" } },
            ip,
            ua,
            sessionId,
            { session: sid, identity: p.id, credential: null },
          );
          for (let k = 0; k < r.int(0, 2 * scale); k++) {
            last += r.int(60, 900) * 1000;
            slackEntry(
              slackFile(d),
              last,
              "file_downloaded",
              { id: p.slackId, name: p.name, email: p.email },
              {
                type: "file",
                file: { id: `F0${r.alnum(9).toUpperCase()}`, name: `notes-${k}.pdf`, filetype: "pdf", title: `notes-${k}.pdf` },
              },
              ip,
              ua,
              sessionId,
              { session: sid, identity: p.id, credential: null },
            );
          }
          session(sid, "slack", p.id, null, null, true, ta, last);
          gt.links.push({ from: oktaSid, to: sid, kind: "idp_to_app" });
        } else {
          // Google writes no session id: the truth session is keyless (only heuristics can group it).
          const sid = `s:google:${p.gId}:${d}:${r.alnum(6)}`;
          const gactor = { callerType: "USER", email: p.email, profileId: p.gId };
          gwsActivity(
            gwsFile(d),
            ta,
            "saml",
            gactor,
            ip,
            [{ type: "login", name: "login_success", parameters: [{ name: "application_name", value: "Google Workspace" }] }],
            { session: sid, identity: p.id, credential: null },
          );
          for (let k = 0; k < r.int(1, 3 * scale); k++) {
            last += r.int(30, 600) * 1000;
            gwsActivity(
              gwsFile(d),
              last,
              "drive",
              gactor,
              ip,
              [
                {
                  type: "access",
                  name: "view",
                  parameters: [
                    { name: "doc_id", value: `1${r.alnum(32)}` },
                    { name: "doc_title", value: `Plan ${k}` },
                    { name: "doc_type", value: "document" },
                    { name: "visibility", value: "private" },
                  ],
                },
              ],
              { session: sid, identity: p.id, credential: null },
            );
          }
          session(sid, "google-workspace", p.id, null, null, false, ta, last);
          gt.links.push({ from: oktaSid, to: sid, kind: "idp_to_app" });
        }
        tEnd = last;
      }
      session(oktaSid, "okta", p.id, null, null, true, t0, t0); // its end is its last Okta event, set below
    }
  }

  // ---- story 1: an admin's SSO session into Salesforce exporting a report under an approved change and a JIT grant.
  const s1t = start + 9 * 3600000 + 5 * 60000; // day 0, 09:05
  {
    const okf = oktaFile(0);
    const oktaKey = `102${r.alnum(22)}`;
    const oktaSid = `s:okta:${oktaKey}`;
    oktaEvent(okf, s1t, dana, "user.session.start", oktaKey, dana.laptopIp, UA_MAC, {
      session: oktaSid,
      identity: dana.id,
      credential: null,
    });
    oktaEvent(
      okf,
      s1t + 40000,
      dana,
      "user.authentication.sso",
      oktaKey,
      dana.laptopIp,
      UA_MAC,
      { session: oktaSid, identity: dana.id, credential: null },
      [{ id: "0oasfdc0001", type: "AppInstance", alternateId: "Salesforce.com", displayName: "Salesforce.com", detailEntry: null }],
    );
    session(oktaSid, "okta", dana.id, null, "story-1", true, s1t, s1t + 40000);
    const loginKey = r.alnum(16);
    const sessionKey = r.alnum(16);
    const sid = `s:salesforce:${sessionKey}`;
    sfRow(
      sfFile(0, "Login"),
      "Login",
      s1t + 50000,
      {
        USER_ID: dana.sfId,
        USER_NAME: dana.email,
        LOGIN_KEY: loginKey,
        SESSION_KEY: sessionKey,
        CLIENT_IP: dana.laptopIp,
        SOURCE_IP: dana.laptopIp,
        LOGIN_STATUS: "LOGIN_NO_ERROR",
        BROWSER_TYPE: UA_MAC,
        USER_TYPE: "Standard",
        URI: "/saml/SSO",
      },
      { session: sid, identity: dana.id, credential: null },
    );
    sfRow(
      sfFile(0, "ReportExport"),
      "ReportExport",
      s1t + 20 * 60000,
      {
        USER_ID: dana.sfId,
        SESSION_KEY: sessionKey,
        LOGIN_KEY: loginKey,
        CLIENT_IP: dana.laptopIp,
        URI: "/00O5g000003Q4Rp",
        REPORT_ID: "00O5g000003Q4Rp",
        CLIENT_INFO: "ReportExportTypeCsv",
        USER_AGENT: UA_MAC,
      },
      { session: sid, identity: dana.id, credential: null },
    );
    session(sid, "salesforce", dana.id, null, "story-1", true, s1t + 50000, s1t + 20 * 60000);
    gt.links.push({ from: oktaSid, to: sid, kind: "idp_to_app" });
    const chg = "CHG0041001";
    add(
      file("servicenow/change_request.json", "servicenow", "envelope", { envelope: "result" }),
      {
        sys_id: r.hex(32),
        number: chg,
        sys_class_name: "change_request",
        short_description: "Export Q4 pipeline report for the external audit",
        description: "Export the Q4 pipeline report from Salesforce for the auditors.",
        type: "normal",
        state: "-1",
        approval: "approved",
        approval_set: iso(s1t - 3600000)
          .replace("T", " ")
          .slice(0, 19),
        requested_by: { display_value: dana.email, value: r.hex(32) },
        assigned_to: { display_value: dana.email, value: r.hex(32) },
        cmdb_ci: { display_value: "Salesforce production", value: r.hex(32) },
        // The object the change is for, as a structured field (governance does not read free text for scope).
        u_resources: "salesforce:Report Export",
        start_date: iso(s1t - 5 * 60000)
          .replace("T", " ")
          .slice(0, 19),
        end_date: iso(s1t + 2 * 3600000)
          .replace("T", " ")
          .slice(0, 19),
        sys_updated_on: iso(s1t - 3600000)
          .replace("T", " ")
          .slice(0, 19),
      },
      { session: null, identity: dana.id, credential: null },
    );
    // The approver's record: Maria approved the change, so separation of duties can be checked.
    add(
      file("servicenow/sysapproval_approver.json", "servicenow", "envelope", { envelope: "result" }),
      {
        sys_id: r.hex(32),
        approver: { display_value: maria.email, value: r.hex(32) },
        sysapproval: { display_value: chg, value: r.hex(32) },
        source_table: "change_request",
        state: "approved",
        sys_created_on: iso(s1t - 2 * 3600000)
          .replace("T", " ")
          .slice(0, 19),
        sys_updated_on: iso(s1t - 3600000)
          .replace("T", " ")
          .slice(0, 19),
      },
      { session: null, identity: maria.id, credential: null },
    );
    gt.approvals.push({ id: `approval:${chg}`, system: "servicenow", ticketKey: chg, sessions: [sid] });
    const grantId = "pam-demo-0001";
    add(
      file("pam-grants/sessionproof-grants-demo.json", "pam-grants", "json-array"),
      {
        grant_id: grantId,
        principal: dana.email,
        principal_type: "human",
        privilege: "salesforce:Report Export",
        platform: "salesforce",
        requested_at: iso(s1t - 10 * 60000),
        granted_at: iso(s1t),
        expires_at: iso(s1t + 3600000),
        revoked_at: null,
        approved_by: maria.email,
        ticket: chg,
        justification: "Q4 audit export",
      },
      { session: null, identity: dana.id, credential: `cred:grant:${grantId}` },
    );
    credential(`cred:grant:${grantId}`, "jit_grant", "pam-grants", grantId, null);
    gt.grants.push({ id: `grant:${grantId}`, grantId, sessions: [sid] });
    gt.links.push({ from: `approval:${chg}`, to: sid, kind: "approval" }, { from: `grant:${grantId}`, to: sid, kind: "jit_grant" });
    gt.stories.push({
      id: "story-1",
      title: "An admin's SSO session into Salesforce exports a report under an approved change and a JIT grant",
      sessions: [oktaSid, sid],
      expected: [
        "the ReportExport is a data access (one report), not a privileged action",
        "CHG0041001 approves it",
        "inside the JIT grant window",
      ],
    });
  }

  // ---- story 2: a stolen OAuth integration token used from a new network for bulk API reads.
  {
    const svc = { id: "nhi:svc-integration", sfId: "005Hs0000SVCINT", email: `svc-integration@${DOMAIN}` };
    identity(svc.id, "oauth_app", "Acme Reports Sync (connected app)", dana.id, [
      { platform: "salesforce", externalId: svc.sfId, login: svc.email },
    ]);
    const sessionKey = r.alnum(16);
    const loginKey = r.alnum(16);
    const cred = `cred:sf:${sessionKey}`;
    credential(cred, "access_token", "salesforce", sessionKey, null);
    const normal = start + 86400000 + 2 * 3600000;
    const sid1 = `s:salesforce:${sessionKey}`;
    sfRow(
      sfFile(1, "API"),
      "API",
      normal,
      {
        USER_ID: svc.sfId,
        SESSION_KEY: sessionKey,
        LOGIN_KEY: loginKey,
        CLIENT_IP: "192.0.2.45",
        URI: "/services/data/v59.0/query",
        ENTITY_NAME: "Account",
        API_TYPE: "REST",
        METHOD_NAME: "query",
        CLIENT_NAME: "AcmeReportsSync",
        ROWS_PROCESSED: "1200",
        CONNECTED_APP_ID: "0H45g000000DEMO",
        USER_AGENT: "AcmeReports/2.3",
        USER_TYPE: "Standard",
      },
      { session: sid1, identity: svc.id, credential: cred },
    );
    for (let k = 0; k < 3; k++) {
      sfRow(
        sfFile(1, "API"),
        "API",
        normal + 3 * 3600000 + k * 120000,
        {
          USER_ID: svc.sfId,
          SESSION_KEY: sessionKey,
          LOGIN_KEY: loginKey,
          CLIENT_IP: "198.51.100.250",
          URI: "/services/data/v59.0/query",
          ENTITY_NAME: "Contact",
          API_TYPE: "REST",
          METHOD_NAME: "query",
          CLIENT_NAME: "AcmeReportsSync",
          ROWS_PROCESSED: String(250000 + k),
          CONNECTED_APP_ID: "0H45g000000DEMO",
          USER_AGENT: "python-requests/2.32.3",
          USER_TYPE: "Standard",
        },
        { session: sid1, identity: svc.id, credential: cred },
      );
    }
    session(sid1, "salesforce", svc.id, cred, "story-2", true, normal, normal + 3 * 3600000 + 240000);
    gt.stories.push({
      id: "story-2",
      title: "A stolen OAuth integration token used from a new network for bulk API reads",
      sessions: [sid1],
      expected: ["the connected app's token appears from 198.51.100.250 mid-session", "250,000-row queries are bulk reads (privileged)"],
    });
  }

  // ---- story 3: a password-only Snowflake login followed by a bulk export.
  {
    const wh = { name: people[2].email.toUpperCase() };
    const eventId = String(4387250193000000 + r.int(1, 99999));
    const sessionId = 2817465720500000 + r.int(1, 99999);
    const t = start + 86400000 + 22 * 3600000;
    const sid = `s:snowflake:${sessionId}`;
    const who = people[2].id;
    add(
      file("snowflake/LOGIN_HISTORY_demo.csv", "snowflake", "csv", { header: SNOW_LOGIN }),
      row(SNOW_LOGIN, {
        EVENT_ID: eventId,
        EVENT_TIMESTAMP: snowStamp(t),
        EVENT_TYPE: "LOGIN",
        USER_NAME: wh.name,
        CLIENT_IP: "203.0.113.199",
        REPORTED_CLIENT_TYPE: "PYTHON_DRIVER",
        REPORTED_CLIENT_VERSION: "3.12.1",
        FIRST_AUTHENTICATION_FACTOR: "PASSWORD",
        SECOND_AUTHENTICATION_FACTOR: "",
        IS_SUCCESS: "YES",
        RELATED_EVENT_ID: "0",
      }),
      { session: sid, identity: who, credential: null },
    );
    add(
      file("snowflake/SESSIONS_demo.csv", "snowflake", "csv", { header: SNOW_SESSIONS }),
      row(SNOW_SESSIONS, {
        SESSION_ID: String(sessionId),
        CREATED_ON: snowStamp(t + 500),
        USER_NAME: wh.name,
        AUTHENTICATION_METHOD: "Password",
        LOGIN_EVENT_ID: eventId,
        CLIENT_APPLICATION_ID: "PythonConnector 3.12.1",
        CLIENT_APPLICATION_VERSION: "3.12.1",
        CLIENT_ENVIRONMENT: '{"APPLICATION":"PythonConnector","OS":"Linux"}',
        CLIENT_BUILD_ID: "",
        CLIENT_VERSION: "3.12.1",
        CLOSED_REASON: "",
      }),
      { session: sid, identity: who, credential: null },
    );
    const q = file("snowflake/QUERY_HISTORY_demo.csv", "snowflake", "csv", { header: SNOW_QUERY });
    add(
      q,
      row(SNOW_QUERY, {
        QUERY_ID: r.uuid(),
        QUERY_TEXT: "SELECT * FROM FINANCE.PUBLIC.CUSTOMERS",
        DATABASE_NAME: "FINANCE",
        SCHEMA_NAME: "PUBLIC",
        QUERY_TYPE: "SELECT",
        SESSION_ID: String(sessionId),
        USER_NAME: wh.name,
        ROLE_NAME: "ANALYST",
        WAREHOUSE_NAME: "ANALYTICS_WH",
        START_TIME: snowStamp(t + 60000),
        END_TIME: snowStamp(t + 65000),
        EXECUTION_STATUS: "SUCCESS",
        ROWS_PRODUCED: "4800000",
        ROWS_UNLOADED: "0",
      }),
      { session: sid, identity: who, credential: null },
    );
    add(
      q,
      row(SNOW_QUERY, {
        QUERY_ID: r.uuid(),
        QUERY_TEXT: "COPY INTO @EXFIL_STAGE/customers FROM FINANCE.PUBLIC.CUSTOMERS FILE_FORMAT=(TYPE=CSV)",
        DATABASE_NAME: "FINANCE",
        SCHEMA_NAME: "PUBLIC",
        QUERY_TYPE: "UNLOAD",
        SESSION_ID: String(sessionId),
        USER_NAME: wh.name,
        ROLE_NAME: "ANALYST",
        WAREHOUSE_NAME: "ANALYTICS_WH",
        START_TIME: snowStamp(t + 120000),
        END_TIME: snowStamp(t + 180000),
        EXECUTION_STATUS: "SUCCESS",
        ROWS_PRODUCED: "0",
        ROWS_UNLOADED: "4800000",
      }),
      { session: sid, identity: who, credential: null },
    );
    session(sid, "snowflake", who, null, "story-3", true, t, t + 180000);
    gt.stories.push({
      id: "story-3",
      title: "A password-only data-warehouse login followed by a bulk export",
      sessions: [sid],
      expected: ["the login has no second factor", "COPY INTO a stage unloads 4,800,000 rows (privileged export)"],
    });
  }

  // ---- story 4: AWS role chaining (person → role Admin → role Audit, sourceIdentity carried).
  {
    const p = people[3];
    const ct = file(
      `aws-cloudtrail/111122223333_CloudTrail_eu-west-1_${dayFile(1).replace(/-/g, "")}T1015Z_${r.alnum(16)}.json.gz`,
      "aws-cloudtrail",
      "envelope",
      { envelope: "Records", gzip: true },
    );
    const t = start + 86400000 + 10 * 3600000 + 15 * 60000;
    const k1 = `ASIA${r.alnum(16).toUpperCase()}`;
    const k2 = `ASIA${r.alnum(16).toUpperCase()}`;
    const created1 = isoS(t);
    const created2 = isoS(t + 60000);
    const ssoRole = "AWSReservedSSO_PowerUser_0a1b2c3d4e5f6a7b";
    const arn1 = `arn:aws:sts::111122223333:assumed-role/${ssoRole}/${p.email}`;
    const arn2 = `arn:aws:sts::111122223333:assumed-role/Audit/${p.email}`;
    const sid1 = `s:aws:${arn1}|${created1}`;
    const sid2 = `s:aws:${arn2}|${created2}`;
    credential(`cred:aws:${k1}`, "aws_session_key", "aws-cloudtrail", k1, null);
    credential(`cred:aws:${k2}`, "aws_session_key", "aws-cloudtrail", k2, `cred:aws:${k1}`);
    const ui = (arn: string, key: string, role: string, created: string) => ({
      type: "AssumedRole",
      principalId: `AROA${role.length}DEMO:${p.email}`,
      arn,
      accountId: "111122223333",
      accessKeyId: key,
      sessionContext: {
        sessionIssuer: {
          type: "Role",
          principalId: `AROA${role.length}DEMO`,
          arn: `arn:aws:iam::111122223333:role/${role}`,
          accountId: "111122223333",
          userName: role,
        },
        attributes: { creationDate: created, mfaAuthenticated: "true" },
        sourceIdentity: p.email,
      },
    });
    const rec = (tt: number, u: unknown, name: string, src: string, req: unknown, resp: unknown, ro: boolean) => ({
      eventVersion: "1.09",
      userIdentity: u,
      eventTime: isoS(tt),
      eventSource: src,
      eventName: name,
      awsRegion: "eu-west-1",
      sourceIPAddress: p.laptopIp,
      userAgent: "aws-cli/2.22.4 Python/3.12.6 Darwin/24.1.0",
      requestParameters: req,
      responseElements: resp,
      requestID: r.uuid(),
      eventID: r.uuid(),
      readOnly: ro,
      eventType: "AwsApiCall",
      managementEvent: true,
      recipientAccountId: "111122223333",
      eventCategory: "Management",
    });
    add(ct, rec(t + 10000, ui(arn1, k1, ssoRole, created1), "ListBuckets", "s3.amazonaws.com", null, null, true), {
      session: sid1,
      identity: p.id,
      credential: `cred:aws:${k1}`,
    });
    add(
      ct,
      rec(
        t + 60000,
        ui(arn1, k1, ssoRole, created1),
        "AssumeRole",
        "sts.amazonaws.com",
        { roleArn: "arn:aws:iam::111122223333:role/Audit", roleSessionName: p.email, sourceIdentity: p.email },
        {
          credentials: { accessKeyId: k2, sessionToken: "demo", expiration: "Nov 24, 2026, 11:16:00 AM" },
          assumedRoleUser: { assumedRoleId: `AROA5DEMO:${p.email}`, arn: arn2 },
          sourceIdentity: p.email,
        },
        false,
      ),
      { session: sid1, identity: p.id, credential: `cred:aws:${k1}` },
    );
    add(
      ct,
      rec(
        t + 120000,
        ui(arn2, k2, "Audit", created2),
        "GetObject",
        "s3.amazonaws.com",
        { bucketName: "finance-audit", key: "ledger/2026-q4.csv" },
        null,
        true,
      ),
      { session: sid2, identity: p.id, credential: `cred:aws:${k2}` },
    );
    add(
      ct,
      rec(
        t + 180000,
        ui(arn2, k2, "Audit", created2),
        "PutBucketPolicy",
        "s3.amazonaws.com",
        { bucketName: "finance-audit", policy: "{}" },
        null,
        false,
      ),
      { session: sid2, identity: p.id, credential: `cred:aws:${k2}` },
    );
    session(sid1, "aws-cloudtrail", p.id, `cred:aws:${k1}`, "story-4", true, t + 10000, t + 60000);
    session(sid2, "aws-cloudtrail", p.id, `cred:aws:${k2}`, "story-4", true, t + 120000, t + 180000);
    gt.links.push({ from: sid1, to: sid2, kind: "credential_lineage" });
    gt.stories.push({
      id: "story-4",
      title: "AWS role chaining",
      sessions: [sid1, sid2],
      expected: ["the Audit role key's parent is the PowerUser session key", "the person is the initiator of both sessions"],
    });
  }

  // ---- story 5: an Entra service principal changes app role assignments.
  {
    const spId = r.uuid();
    const keyId = r.uuid();
    const token = r.alnum(27);
    identity("nhi:sp-payroll-sync", "workload", "payroll-sync", maria.id, [{ platform: "entra", externalId: spId, login: "payroll-sync" }]);
    credential(`cred:entra:${token}`, "access_token", "entra", token, `cred:entra:${keyId}`);
    credential(`cred:entra:${keyId}`, "sp_secret", "entra", keyId, null);
    const t = start + 2 * 86400000 + 3 * 3600000;
    const appId = r.uuid();
    add(
      file(`entra/entra-signins-${dayFile(2)}.json`, "entra", "envelope", { envelope: "value" }),
      {
        id: r.uuid(),
        createdDateTime: isoS(t),
        appId,
        appDisplayName: "payroll-sync",
        ipAddress: "192.0.2.81",
        correlationId: r.uuid(),
        conditionalAccessStatus: "notApplied",
        isInteractive: false,
        signInEventTypes: ["servicePrincipal"],
        servicePrincipalId: spId,
        servicePrincipalName: "payroll-sync",
        servicePrincipalCredentialKeyId: keyId,
        servicePrincipalCredentialThumbprint: "",
        clientCredentialType: "clientSecret",
        uniqueTokenIdentifier: token,
        resourceDisplayName: "Microsoft Graph",
        resourceId: "00000003-0000-0000-c000-000000000000",
        managedIdentityType: "none",
        status: { errorCode: 0, failureReason: null, additionalDetails: null },
        location: { city: "Dublin", state: "Dublin", countryOrRegion: "IE" },
      },
      { session: null, identity: "nhi:sp-payroll-sync", credential: `cred:entra:${token}` },
    );
    add(
      file(`entra/entra-directory-audits-${dayFile(2)}.json`, "entra", "envelope", { envelope: "value" }),
      {
        id: `Directory_${r.uuid()}`,
        category: "ApplicationManagement",
        correlationId: r.uuid(),
        result: "success",
        resultReason: "",
        activityDisplayName: "Add app role assignment to service principal",
        activityDateTime: isoS(t + 30000),
        loggedByService: "Core Directory",
        operationType: "Assign",
        initiatedBy: {
          user: null,
          app: { appId, displayName: "payroll-sync", servicePrincipalId: spId, servicePrincipalName: "payroll-sync" },
        },
        targetResources: [
          {
            id: r.uuid(),
            displayName: "Microsoft Graph",
            type: "ServicePrincipal",
            userPrincipalName: null,
            groupType: null,
            modifiedProperties: [{ displayName: "AppRole.Value", oldValue: null, newValue: '"Directory.ReadWrite.All"' }],
          },
        ],
        additionalDetails: [],
      },
      { session: null, identity: "nhi:sp-payroll-sync", credential: null },
    );
    gt.stories.push({
      id: "story-5",
      title: "A service principal changes app role assignments",
      sessions: [],
      expected: ["the service principal signs in with a client secret", "it grants Directory.ReadWrite.All to an app (privileged)"],
    });
  }

  // ---- story 6 + 9: CI bots, PATs, and an AI agent making a privileged change without approval.
  {
    const gh = ghFile(1);
    const t = start + 86400000 + 14 * 3600000;
    const botToken = `${r.alnum(43)}=`;
    const patToken = `${r.alnum(43)}=`;
    const agentToken = `${r.alnum(43)}=`;
    identity("nhi:github-actions", "bot", "github-actions[bot]", null, [
      { platform: "github", externalId: "41898282", login: "github-actions[bot]" },
    ]);
    identity("nhi:copilot-agent", "ai_agent", "Copilot coding agent", people[4].id, [
      { platform: "github", externalId: "198982749", login: "Copilot" },
    ]);
    credential(`cred:gh:${botToken}`, "access_token", "github", botToken, null);
    credential(`cred:gh:${patToken}`, "pat", "github", patToken, null);
    credential(`cred:gh:${agentToken}`, "access_token", "github", agentToken, null);
    const base = { business: "example-corp", business_id: 9001, org: "example", org_id: 4242 };
    const sBot = `s:github:${botToken}`;
    const sPat = `s:github:${patToken}`;
    const sAgent = `s:github:${agentToken}`;
    for (let k = 0; k < 3; k++) {
      add(
        gh,
        {
          "@timestamp": t + k * 60000,
          _document_id: r.alnum(22),
          action: "git.push",
          actor: "github-actions[bot]",
          actor_id: 41898282,
          actor_is_bot: true,
          ...base,
          created_at: t + k * 60000 + 20,
          hashed_token: botToken,
          programmatic_access_type: "GitHub App server-to-server token",
          repo: "example/payments-api",
          repository: "example/payments-api",
          token_id: 88120001,
          user_agent: "git/2.47.1",
        },
        { session: sBot, identity: "nhi:github-actions", credential: `cred:gh:${botToken}` },
      );
    }
    session(sBot, "github", "nhi:github-actions", `cred:gh:${botToken}`, "story-6", true, t, t + 120000);
    const dev = people[4];
    add(
      gh,
      {
        "@timestamp": t + 600000,
        _document_id: r.alnum(22),
        action: "git.clone",
        actor: dev.ghLogin,
        actor_id: dev.ghId,
        actor_ip: dev.laptopIp,
        ...base,
        created_at: t + 600020,
        hashed_token: patToken,
        programmatic_access_type: "Fine-grained personal access token",
        repo: "example/payments-api",
        repository: "example/payments-api",
        token_id: 91234567,
        token_scopes: "contents:read,metadata:read",
        user_agent: "git/2.47.1",
      },
      { session: sPat, identity: dev.id, credential: `cred:gh:${patToken}` },
    );
    session(sPat, "github", dev.id, `cred:gh:${patToken}`, "story-6", true, t + 600000, t + 600000);
    add(
      gh,
      {
        "@timestamp": t + 900000,
        _document_id: r.alnum(22),
        action: "protected_branch.destroy",
        actor: "Copilot",
        actor_id: 198982749,
        actor_is_agent: true,
        ...base,
        created_at: t + 900020,
        hashed_token: agentToken,
        programmatic_access_type: "OAuth access token",
        repo: "example/payments-api",
        repository: "example/payments-api",
        name: "main",
        user_agent: "copilot-agent/1.0",
      },
      { session: sAgent, identity: "nhi:copilot-agent", credential: `cred:gh:${agentToken}` },
    );
    session(sAgent, "github", "nhi:copilot-agent", `cred:gh:${agentToken}`, "story-9", true, t + 900000, t + 900000);
    gt.stories.push({
      id: "story-6",
      title: "CI bots and personal access tokens",
      sessions: [sBot, sPat],
      expected: ["the bot pushes with a server-to-server token", "a PAT clones from a laptop"],
    });
    gt.stories.push({
      id: "story-9",
      title: "An AI agent acting under delegated authority makes a privileged change without approval",
      sessions: [sAgent],
      expected: ["protected_branch.destroy by an agent (privileged)", "no approval covers it"],
    });
  }

  // ---- story 7: a person signing in interactively as a service account (browser, a person's laptop address).
  {
    const svc = { id: "nhi:svc-reporting", oktaId: `00u${r.alnum(17)}`, email: `svc-reporting@${DOMAIN}`, name: "svc-reporting" };
    identity(svc.id, "service_account", "svc-reporting", people[5].id, [{ platform: "okta", externalId: svc.oktaId, login: svc.email }]);
    const t = start + 2 * 86400000 + 16 * 3600000;
    const key = `102${r.alnum(22)}`;
    const sid = `s:okta:${key}`;
    oktaEvent(oktaFile(2), t, svc, "user.session.start", key, people[5].laptopIp, UA_MAC, {
      session: sid,
      identity: svc.id,
      credential: null,
    });
    session(sid, "okta", svc.id, null, "story-7", true, t, t);
    gt.stories.push({
      id: "story-7",
      title: "A person signing in as a service account",
      sessions: [sid],
      expected: ["interactive browser sign-in of a service account"],
    });
  }

  // ---- story 8: a privileged action after its JIT grant expired.
  {
    const p = people[6];
    const grantId = "pam-demo-0002";
    const t = start + 2 * 86400000 + 11 * 3600000;
    add(
      file("pam-grants/sessionproof-grants-demo.json", "pam-grants", "json-array"),
      {
        grant_id: grantId,
        principal: p.email,
        principal_type: "human",
        privilege: "AdministratorAccess",
        platform: "aws:111122223333",
        requested_at: iso(t - 600000),
        granted_at: iso(t),
        expires_at: iso(t + 3600000),
        revoked_at: null,
        approved_by: dana.email,
        ticket: "CHG0041002",
        justification: "Rotate the payments KMS key",
      },
      { session: null, identity: p.id, credential: `cred:grant:${grantId}` },
    );
    credential(`cred:grant:${grantId}`, "jit_grant", "pam-grants", grantId, null);
    // The change the grant names, approved by Dana for the afternoon: the approval still covers the late action, the
    // grant no longer does.
    const sn = (ms: number) => iso(ms).replace("T", " ").slice(0, 19);
    add(
      file("servicenow/change_request.json", "servicenow", "envelope", { envelope: "result" }),
      {
        sys_id: r.hex(32),
        number: "CHG0041002",
        sys_class_name: "change_request",
        short_description: "Rotate the payments KMS key",
        type: "normal",
        state: "-1",
        approval: "approved",
        approval_set: sn(t - 30 * 60000),
        requested_by: { display_value: p.email, value: r.hex(32) },
        assigned_to: { display_value: p.email, value: r.hex(32) },
        cmdb_ci: { display_value: "AWS production account 111122223333", value: r.hex(32) },
        u_resources: "mrk-demo, payments-deployer, AdministratorAccess",
        start_date: sn(t - 5 * 60000),
        end_date: sn(t + 3 * 3600000),
        sys_updated_on: sn(t - 30 * 60000),
      },
      { session: null, identity: p.id, credential: null },
    );
    add(
      file("servicenow/sysapproval_approver.json", "servicenow", "envelope", { envelope: "result" }),
      {
        sys_id: r.hex(32),
        approver: { display_value: dana.email, value: r.hex(32) },
        sysapproval: { display_value: "CHG0041002", value: r.hex(32) },
        source_table: "change_request",
        state: "approved",
        sys_created_on: sn(t - 40 * 60000),
        sys_updated_on: sn(t - 30 * 60000),
      },
      { session: null, identity: dana.id, credential: null },
    );
    gt.approvals.push({ id: "approval:CHG0041002", system: "servicenow", ticketKey: "CHG0041002", sessions: [] });
    const key = `ASIA${r.alnum(16).toUpperCase()}`;
    const created = isoS(t + 300000);
    const arn = `arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_AdministratorAccess_9f8e7d6c5b4a3f2e/${p.email}`;
    const sid = `s:aws:${arn}|${created}`;
    credential(`cred:aws:${key}`, "aws_session_key", "aws-cloudtrail", key, null);
    const ct = file(
      `aws-cloudtrail/111122223333_CloudTrail_eu-west-1_${dayFile(2).replace(/-/g, "")}T1100Z_${r.alnum(16)}.json.gz`,
      "aws-cloudtrail",
      "envelope",
      { envelope: "Records", gzip: true },
    );
    const u = {
      type: "AssumedRole",
      principalId: `AROAADMINSSO:${p.email}`,
      arn,
      accountId: "111122223333",
      accessKeyId: key,
      sessionContext: {
        sessionIssuer: {
          type: "Role",
          principalId: "AROAADMINSSO",
          arn: "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_AdministratorAccess_9f8e7d6c5b4a3f2e",
          accountId: "111122223333",
          userName: "AWSReservedSSO_AdministratorAccess_9f8e7d6c5b4a3f2e",
        },
        attributes: { creationDate: created, mfaAuthenticated: "false" },
      },
    };
    for (const [dt, name] of [
      [1200000, "ScheduleKeyDeletion"],
      [3600000 + 17 * 60000, "AttachRolePolicy"],
    ] as const) {
      add(
        ct,
        {
          eventVersion: "1.09",
          userIdentity: u,
          eventTime: isoS(t + dt),
          eventSource: name === "AttachRolePolicy" ? "iam.amazonaws.com" : "kms.amazonaws.com",
          eventName: name,
          awsRegion: "eu-west-1",
          sourceIPAddress: p.laptopIp,
          userAgent: "aws-cli/2.22.4",
          requestParameters:
            name === "AttachRolePolicy"
              ? { roleName: "payments-deployer", policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" }
              : { keyId: "mrk-demo" },
          responseElements: null,
          requestID: r.uuid(),
          eventID: r.uuid(),
          readOnly: false,
          eventType: "AwsApiCall",
          managementEvent: true,
          recipientAccountId: "111122223333",
          eventCategory: "Management",
        },
        { session: sid, identity: p.id, credential: `cred:aws:${key}` },
      );
    }
    session(sid, "aws-cloudtrail", p.id, `cred:aws:${key}`, "story-8", true, t + 1200000, t + 3600000 + 17 * 60000);
    gt.grants.push({ id: `grant:${grantId}`, grantId, sessions: [sid] });
    gt.links.push({ from: `grant:${grantId}`, to: sid, kind: "jit_grant" });
    gt.stories.push({
      id: "story-8",
      title: "A privileged action after its JIT grant expired",
      sessions: [sid],
      expected: ["AttachRolePolicy 17 minutes after the grant expired"],
    });
  }

  // ---- confuser: one person with two concurrent sessions on two devices.
  {
    const t = start + 9 * 3600000;
    const kA = `102${r.alnum(22)}`;
    const kB = `102${r.alnum(22)}`;
    const f = oktaFile(0);
    oktaEvent(f, t, maria, "user.session.start", kA, maria.laptopIp, UA_MAC, {
      session: `s:okta:${kA}`,
      identity: maria.id,
      credential: null,
    });
    oktaEvent(f, t + 60000, maria, "user.session.start", kB, maria.phoneIp, UA_PHONE, {
      session: `s:okta:${kB}`,
      identity: maria.id,
      credential: null,
    });
    oktaEvent(
      f,
      t + 120000,
      maria,
      "user.authentication.sso",
      kA,
      maria.laptopIp,
      UA_MAC,
      { session: `s:okta:${kA}`, identity: maria.id, credential: null },
      [{ id: "0oaslack001", type: "AppInstance", alternateId: "Slack", displayName: "Slack", detailEntry: null }],
    );
    session(`s:okta:${kA}`, "okta", maria.id, null, "confuser-concurrent", true, t, t + 120000);
    session(`s:okta:${kB}`, "okta", maria.id, null, "confuser-concurrent", true, t + 60000, t + 60000);
    gt.stories.push({
      id: "confuser-concurrent",
      title: "One person, two concurrent sessions on two devices",
      sessions: [`s:okta:${kA}`, `s:okta:${kB}`],
      expected: ["two sessions, never merged"],
    });
  }
  gt.stories.push({
    id: "confuser-nat",
    title: "Many people behind one NAT address",
    sessions: [],
    expected: [`people at ${NAT_IP} keep their own sessions`],
  });

  // ---- background on the Microsoft side: an Entra ID sign-in whose session continues in Microsoft 365
  // (AppAccessContext.AADSessionId = the sign-in's sessionId), Atlassian admin activity, OPA gateway decisions,
  // and a Jira change ticket approved through the change board.
  for (let d = 0; d < days; d++) {
    for (const p of people.slice(0, Math.max(2, Math.ceil(people.length / 3)))) {
      const t = start + d * 86400000 + (8 + r.int(0, 6)) * 3600000 + r.int(0, 3599) * 1000;
      const aad = r.uuid();
      const userObj = r.uuid();
      const token = r.alnum(22);
      const eSid = `s:entra:${aad}`;
      const mSid = `s:m365:${aad}`;
      add(
        file(`entra/entra-signins-${dayFile(d)}.json`, "entra", "envelope", { envelope: "value" }),
        {
          id: r.uuid(),
          createdDateTime: isoS(t),
          userDisplayName: p.name,
          userPrincipalName: p.email,
          userId: userObj,
          appId: "00000002-0000-0ff1-ce00-000000000000",
          appDisplayName: "Office 365 Exchange Online",
          ipAddress: p.laptopIp,
          clientAppUsed: "Browser",
          correlationId: r.uuid(),
          conditionalAccessStatus: "success",
          isInteractive: true,
          resourceDisplayName: "Office 365 Exchange Online",
          resourceId: "00000002-0000-0ff1-ce00-000000000000",
          status: { errorCode: 0, failureReason: null, additionalDetails: null },
          appliedConditionalAccessPolicies: [
            {
              id: "7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d",
              displayName: "Require MFA for all users",
              enforcedGrantControls: ["Mfa"],
              enforcedSessionControls: [],
              result: "success",
            },
          ],
          sessionId: aad,
          uniqueTokenIdentifier: token,
          signInEventTypes: ["interactiveUser"],
        },
        { session: eSid, identity: p.id, credential: null },
      );
      session(eSid, "entra", p.id, null, null, true, t, t);
      const blob = file(`m365/audit-general-content-blob-${dayFile(d)}.json`, "m365", "json-array");
      let last = t;
      for (let k = 0; k < r.int(1, 2 * scale); k++) {
        last += r.int(30, 900) * 1000;
        add(
          blob,
          {
            CreationTime: isoS(last).replace("Z", ""),
            Id: r.uuid(),
            Operation: "MailItemsAccessed",
            OrganizationId: "4f6c2a1e-9b3d-4e8a-a6f2-7c1d0e5b9a34",
            RecordType: 50,
            ResultStatus: "Succeeded",
            UserKey: userObj,
            UserType: 0,
            Version: 1,
            Workload: "Exchange",
            ClientIP: p.laptopIp,
            UserId: p.email,
            AppAccessContext: {
              AADSessionId: aad,
              UniqueTokenId: token,
              ClientAppId: "d3590ed6-52b3-4102-aeff-aad2292ab01c",
              ClientAppName: "Microsoft Office",
              IssuedAtTime: isoS(t).replace("Z", ""),
              UserObjectId: userObj,
            },
            ClientAppId: "d3590ed6-52b3-4102-aeff-aad2292ab01c",
            MailboxOwnerUPN: p.email,
            OperationCount: 1,
          },
          { session: mSid, identity: p.id, credential: null },
        );
      }
      session(mSid, "m365", p.id, null, null, true, last, last);
      gt.links.push({ from: eSid, to: mSid, kind: "idp_to_app" });
    }
    const admin = dana;
    const ta = start + d * 86400000 + 15 * 3600000;
    add(
      file(`atlassian/org-audit-events-${dayFile(d)}.json`, "atlassian", "envelope", { envelope: "data" }),
      {
        id: r.uuid(),
        type: "events",
        attributes: {
          time: iso(ta),
          action: d === 1 ? "api_token_created" : "user_added_to_group",
          actor: { id: r.alnum(24), name: admin.name, email: admin.email },
          context: [
            {
              id: `712020:${r.uuid()}`,
              type: "users",
              attributes: {
                accountType: "atlassian",
                email: people[(d + 7) % people.length].email,
                name: people[(d + 7) % people.length].name,
              },
            },
          ],
          container: [
            { id: r.uuid(), type: "sites", attributes: { siteHostName: "https://example-corp.atlassian.net", siteName: "example-corp" } },
          ],
          location: { ip: admin.laptopIp, countryName: "Portugal", city: "Lisbon" },
        },
      },
      { session: null, identity: admin.id, credential: null },
    );
    for (let k = 0; k < 2 * scale; k++) {
      const p = people[(d * 3 + k) % people.length];
      const tt = start + d * 86400000 + (9 + k) * 3600000 + r.int(0, 3599) * 1000;
      add(
        file(`opa/opa-decision-logs-payments-gateway-${dayFile(d)}.json`, "opa", "json-array"),
        {
          labels: { app: "payments-gateway", id: r.uuid(), version: "v1.4.2" },
          decision_id: r.uuid(),
          bundles: { authz: { revision: r.hex(12) } },
          path: "httpapi/authz/allow",
          input: {
            method: "GET",
            path: ["payments", "ledger", String(k)],
            user: p.email,
            source_ip: p.laptopIp,
            request_id: `req-${r.hex(6)}`,
          },
          result: k % 5 !== 4,
          requested_by: "10.0.3.14:52144",
          timestamp: iso(tt),
          metrics: { timer_rego_query_eval_ns: r.int(20000, 90000) },
        },
        { session: null, identity: p.id, credential: null },
      );
    }
  }
  add(
    file("jira/jira-change-issues.json", "jira", "envelope", { envelope: "issues" }),
    {
      id: "30001",
      key: "CHANGE-101",
      fields: {
        summary: "Rotate the payments KMS key",
        issuetype: { id: "10100", name: "Change" },
        status: { id: "10110", name: "Implementing" },
        created: iso(start + 2 * 86400000 + 8 * 3600000).replace("Z", "+0000"),
        updated: iso(start + 2 * 86400000 + 10 * 3600000).replace("Z", "+0000"),
        reporter: { accountId: r.alnum(24), emailAddress: people[6].email, displayName: people[6].name, accountType: "atlassian" },
        assignee: { accountId: r.alnum(24), emailAddress: people[6].email, displayName: people[6].name, accountType: "atlassian" },
        customfield_10051: iso(start + 2 * 86400000 + 11 * 3600000).replace("Z", "+0000"),
        customfield_10052: iso(start + 2 * 86400000 + 12 * 3600000).replace("Z", "+0000"),
      },
      names: { summary: "Summary", status: "Status", customfield_10051: "Change start", customfield_10052: "Change end" },
      changelog: {
        histories: [
          {
            id: "90001",
            author: { accountId: r.alnum(24), emailAddress: dana.email, displayName: dana.name, accountType: "atlassian" },
            created: iso(start + 2 * 86400000 + 10 * 3600000).replace("Z", "+0000"),
            items: [{ field: "status", fromString: "Awaiting approval", toString: "Approved" }],
          },
        ],
      },
    },
    { session: null, identity: dana.id, credential: null },
  );

  // ---- fix Okta session ends from their events, then write everything.
  const ends = new Map<string, number>();
  for (const f of files.values()) {
    f.records.forEach((rec, i) => {
      const s = f.truth[i].session;
      if (!s || f.platform !== "okta") return;
      const t = Date.parse((rec as { published: string }).published);
      ends.set(s, Math.max(ends.get(s) ?? 0, t));
    });
  }
  for (const s of gt.sessions) if (s.platform === "okta" && ends.has(s.id)) s.endedAt = iso(ends.get(s.id)!);

  fs.mkdirSync(opts.outDir, { recursive: true });
  const perPlatform: Record<string, number> = {};
  const ordered = [...files.values()].sort((a, b) => (a.rel < b.rel ? -1 : 1));
  const seen = new Set<string>();
  for (const f of ordered) {
    const base = path.basename(f.rel);
    if (seen.has(base)) throw new Error(`demo: two files named ${base}`);
    seen.add(base);
    let text: string;
    if (f.kind === "csv")
      text =
        [
          f.header!.map(csvCell).join(","),
          ...f.records.map((rec) => f.header!.map((h) => csvCell((rec as Record<string, string>)[h] ?? "")).join(",")),
        ].join("\r\n") + "\r\n";
    else if (f.kind === "ndjson") text = f.records.map((rec) => JSON.stringify(rec)).join("\n") + "\n";
    else if (f.kind === "envelope") text = JSON.stringify({ [f.envelope!]: f.records }, null, 1) + "\n";
    else text = JSON.stringify(f.records, null, 1) + "\n";
    const out = path.join(opts.outDir, f.rel);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, f.gzip ? gzipSync(Buffer.from(text), { level: 6 }) : text);
    gt.files.push({ path: f.rel, platform: f.platform, records: f.records.length });
    perPlatform[f.platform] = (perPlatform[f.platform] ?? 0) + f.records.length;
    f.truth.forEach((t, index) => {
      const rec = f.records[index] as Record<string, unknown>;
      const nativeId = nativeIdOf(f.platform, rec);
      gt.events.push({
        file: base,
        index,
        platform: f.platform,
        nativeId,
        session: t.session,
        identity: t.identity,
        credential: t.credential,
      });
    });
  }
  const groundTruth = path.join(opts.outDir, "ground-truth.json");
  fs.writeFileSync(groundTruth, JSON.stringify(gt, null, 1) + "\n");
  return { files: ordered.length, records: gt.events.length, perPlatform, outDir: opts.outDir, groundTruth };
}

// The record's own identifier in its platform's terms (what the source keeps as native_id), or null when the
// platform gives none. Google's uniqueQualifier is shared by an activity's events: the source names an event
// "<applicationName>/<uniqueQualifier>#<its place in events[]>" (the demo's activities hold one event each). An
// EventLogFile row's REQUEST_ID names the request, not the row (kept here as the nearest handle, the source stores null).
const NATIVE_ID_FIELD: Record<string, string> = {
  okta: "uuid",
  entra: "id",
  "aws-cloudtrail": "eventID",
  github: "_document_id",
  slack: "id",
  salesforce: "REQUEST_ID",
  m365: "Id",
  atlassian: "id",
  servicenow: "sys_id",
  jira: "id",
  "pam-grants": "grant_id",
  opa: "decision_id",
};
function nativeIdOf(platform: string, rec: Record<string, unknown>): string | null {
  if (platform === "snowflake") {
    const v = rec.QUERY_ID || rec.EVENT_ID || rec.SESSION_ID;
    return v ? String(v) : null;
  }
  if (platform === "google-workspace") {
    const id = rec.id as { applicationName?: string; uniqueQualifier?: string | number } | undefined;
    return id?.uniqueQualifier != null ? `${id.applicationName ?? ""}/${id.uniqueQualifier}#0` : null;
  }
  const field = NATIVE_ID_FIELD[platform];
  const v = field ? rec[field] : undefined;
  return typeof v === "string" || typeof v === "number" ? String(v) : null;
}

function csvCell(v: string): string {
  return /[",\r\n]/.test(v) || v === "" ? `"${v.replace(/"/g, '""')}"` : v;
}
function row(header: string[], values: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const h of header) out[h] = values[h] ?? "";
  return out;
}

const SF_HEADERS: Record<string, string[]> = {
  Login: [
    "EVENT_TYPE",
    "TIMESTAMP",
    "REQUEST_ID",
    "ORGANIZATION_ID",
    "USER_ID",
    "URI",
    "SESSION_KEY",
    "LOGIN_KEY",
    "USER_TYPE",
    "LOGIN_STATUS",
    "BROWSER_TYPE",
    "API_TYPE",
    "USER_NAME",
    "AUTHENTICATION_METHOD_REFERENCE",
    "TIMESTAMP_DERIVED",
    "CLIENT_IP",
    "SOURCE_IP",
  ],
  URI: [
    "EVENT_TYPE",
    "TIMESTAMP",
    "REQUEST_ID",
    "ORGANIZATION_ID",
    "USER_ID",
    "URI",
    "SESSION_KEY",
    "LOGIN_KEY",
    "USER_TYPE",
    "REQUEST_STATUS",
    "TIMESTAMP_DERIVED",
    "CLIENT_IP",
  ],
  ReportExport: [
    "EVENT_TYPE",
    "TIMESTAMP",
    "REQUEST_ID",
    "ORGANIZATION_ID",
    "USER_ID",
    "SESSION_KEY",
    "LOGIN_KEY",
    "CLIENT_IP",
    "URI",
    "REPORT_ID",
    "CLIENT_INFO",
    "USER_AGENT",
    "TIMESTAMP_DERIVED",
  ],
  API: [
    "EVENT_TYPE",
    "TIMESTAMP",
    "REQUEST_ID",
    "ORGANIZATION_ID",
    "USER_ID",
    "URI",
    "SESSION_KEY",
    "LOGIN_KEY",
    "USER_TYPE",
    "ENTITY_NAME",
    "API_TYPE",
    "METHOD_NAME",
    "CLIENT_NAME",
    "ROWS_PROCESSED",
    "CONNECTED_APP_ID",
    "USER_AGENT",
    "TIMESTAMP_DERIVED",
    "CLIENT_IP",
  ],
};
const SNOW_LOGIN = [
  "EVENT_ID",
  "EVENT_TIMESTAMP",
  "EVENT_TYPE",
  "USER_NAME",
  "CLIENT_IP",
  "REPORTED_CLIENT_TYPE",
  "REPORTED_CLIENT_VERSION",
  "FIRST_AUTHENTICATION_FACTOR",
  "SECOND_AUTHENTICATION_FACTOR",
  "IS_SUCCESS",
  "ERROR_CODE",
  "ERROR_MESSAGE",
  "RELATED_EVENT_ID",
  "CONNECTION",
];
const SNOW_SESSIONS = [
  "SESSION_ID",
  "CREATED_ON",
  "USER_NAME",
  "AUTHENTICATION_METHOD",
  "LOGIN_EVENT_ID",
  "CLIENT_APPLICATION_VERSION",
  "CLIENT_APPLICATION_ID",
  "CLIENT_ENVIRONMENT",
  "CLIENT_BUILD_ID",
  "CLIENT_VERSION",
  "CLOSED_REASON",
];
const SNOW_QUERY = [
  "QUERY_ID",
  "QUERY_TEXT",
  "DATABASE_NAME",
  "SCHEMA_NAME",
  "QUERY_TYPE",
  "SESSION_ID",
  "USER_NAME",
  "ROLE_NAME",
  "WAREHOUSE_NAME",
  "START_TIME",
  "END_TIME",
  "EXECUTION_STATUS",
  "ERROR_CODE",
  "ROWS_PRODUCED",
  "ROWS_UNLOADED",
];
