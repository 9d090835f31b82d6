import { describe, expect, it } from "vitest";
import { ACTIVITIES, NormalizedEventSchema, ocsfClass, parseNormalizedEvent, toActivity, toEventRow, type NormalizedEvent } from "./schema";

function event(over: Partial<NormalizedEvent> = {}): NormalizedEvent {
  return {
    schema_version: 1,
    platform: "okta",
    ...ocsfClass(3002),
    activity: "logon",
    event_name: "user.session.start",
    time: new Date("2025-03-04T08:15:02.114Z"),
    status: "success",
    status_detail: "SUCCESS",
    message: null,
    actor: {
      external_id: "00u1",
      name: "Maria Lopez",
      login: "maria@example.com",
      email: "maria@example.com",
      type: "User",
      kind_hint: "human",
    },
    session: { key: "idxS1", key_type: "okta.externalSessionId", root_key: null, issuer: null },
    credential: {
      key: "00T1",
      key_type: "okta.api_token_id",
      kind: "api_token",
      native_type: "SSWS",
      parent_key: null,
      parent_key_type: null,
      parent_kind: null,
    },
    issued_credentials: [],
    auth: null,
    client: { app_id: "0oa1", app_name: "Salesforce" },
    src_endpoint: { ip: "203.0.113.24", location: { city: "Lisbon", region: null, country: "Portugal" } },
    user_agent: "Mozilla/5.0",
    resources: [
      { type: "AppInstance", id: "0oa1", name: "Salesforce" },
      { type: "User", id: "00u2", name: null },
    ],
    privileged: false,
    policy: null,
    jit: null,
    approval: null,
    correlation_id: "tx1",
    native_id: "uuid-1",
    extra: { dtHash: "abc", behaviors: { "New IP": "NEGATIVE" }, list: [1, "a", null] },
    ...over,
  };
}

describe("NormalizedEventSchema", () => {
  it("accepts a complete event and keeps it as is", () => {
    expect(parseNormalizedEvent(event())).toEqual(event());
  });

  it("is strict: unknown fields, empty keys, bad enums, mismatched class names and non-JSON extra are refused", () => {
    const bad: unknown[] = [
      { ...event(), surprise: 1 },
      event({ session: { key: "", key_type: "okta.externalSessionId", root_key: null, issuer: null } }),
      event({ actor: { ...event().actor, kind_hint: "robot" as never } }),
      event({ status: "ok" as never }),
      event({ class_name: "API Activity" as never }),
      event({ class_uid: 9999 as never }),
      event({ time: new Date("nope") }),
      event({ activity: "Log On" as never }),
      // activity is a closed list: a well-formed verb outside it is refused too (sources map theirs through toActivity).
      event({ activity: "lock_account" as never }),
      event({ resources: [{ type: "User", id: null, name: null }] }),
      event({ extra: { when: new Date() as never } }),
      event({ extra: { n: Number.NaN } }),
    ];
    for (const b of bad) expect(NormalizedEventSchema.safeParse(b).success, JSON.stringify(b).slice(0, 200)).toBe(false);
  });

  it("toActivity keeps a listed verb and maps any other word to the one fallback, other", () => {
    for (const a of ACTIVITIES) expect(toActivity(a)).toBe(a);
    expect(toActivity("report_suspicious_activity_by_enduser")).toBe("other");
    expect(toActivity("Logon")).toBe("other");
    expect(toActivity(null)).toBe("other");
    expect(toActivity(undefined)).toBe("other");
  });

  it("toEventRow fills the event table's columns; data is the whole event with an ISO time", () => {
    const e = event();
    const row = toEventRow(e);
    expect(row).toEqual({
      platform: "okta",
      time: e.time,
      classUid: 3002,
      className: "Authentication",
      activity: "logon",
      eventName: "user.session.start",
      nativeId: "uuid-1",
      status: "success",
      actorExternalId: "00u1",
      actorName: "Maria Lopez",
      actorType: "User",
      sessionKey: "idxS1",
      credentialKey: "00T1",
      clientAppId: "0oa1",
      srcIp: "203.0.113.24",
      userAgent: "Mozilla/5.0",
      targetType: "AppInstance",
      targetId: "0oa1",
      targetName: "Salesforce",
      privileged: false,
      data: { ...e, time: "2025-03-04T08:15:02.114Z" },
    });
    expect(JSON.parse(JSON.stringify(row.data))).toEqual(row.data);
    const bare = toEventRow(event({ session: null, credential: null, client: null, resources: [], actor: { ...e.actor, name: null } }));
    expect(bare).toMatchObject({
      sessionKey: null,
      credentialKey: null,
      clientAppId: null,
      targetType: null,
      targetId: null,
      targetName: null,
      actorName: "maria@example.com",
    });
  });
});
