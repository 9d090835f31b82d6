import crypto from "node:crypto";
import fs from "node:fs";
import { Readable } from "node:stream";
import { expect } from "vitest";
import type { Role } from "@/lib/auth/permissions";
import { fromSessionUser, system, type RequestContext } from "@/lib/context/request-context";
import { runCorrelation } from "@/lib/correlation/run-correlation";
import { db, pool } from "@/lib/db";
import { join, raw, sql } from "@/lib/db/sql";
import { AppError } from "@/lib/errors";
import { ingestStream, type IngestResult } from "@/lib/ingest/ingest-stream";
import { fixturePath } from "@/lib/sources/testing/samples";

// Shared set-up and expectations for the database tests (*.db.test.ts): one place to change when a signature
// changes, instead of a copy in every file.

export type SeededUser = {
  id: string;
  email: string;
  role: Role;
  /** The user's request context, for lib/ calls made as this user (cases, retention, audit). */
  ctx: RequestContext;
};

/** A user row with `role` (no password: the tests act as the user directly). */
export async function seedUser(
  role: Role,
  email = `${role}-${crypto.randomUUID().slice(0, 8)}@example.test`,
  name?: string,
): Promise<SeededUser> {
  const u = await db().user.create({ data: { email, role, ...(name ? { name } : {}) } });
  return { id: u.id, email: u.email, role, ctx: fromSessionUser({ id: u.id, email: u.email, role, ip: null, userAgent: "vitest" }) };
}

/**
 * Real fixture exports of five sources that read cleanly and meet across platforms: CloudTrail (alice's
 * GetSessionToken -> AssumeRole Admin -> AssumeRole Auditor chain), Okta, GitHub, Entra sign-ins and the M365
 * audit log (Maria Lopez on five platforms).
 */
export const CROSS_PLATFORM_FIXTURES: readonly (readonly [platform: string, file: string])[] = [
  ["aws-cloudtrail", "111122223333_CloudTrail_eu-west-1_20250304T1315Z_AbCdEfGh12345678.json"],
  ["okta", "okta-system-log-page.json"],
  ["github", "audit-log-stream.jsonl"],
  ["entra", "graph-signins-page.json"],
  ["entra", "m365-unified-audit-log.json"],
];

/** Ingests one of a platform's fixture files (lib/sources/<platform>/fixtures) as the CLI does. */
export async function ingestFixture(platform: string, file: string, fileName = file): Promise<IngestResult> {
  const result = await ingestStream({
    input: Readable.from([fs.readFileSync(fixturePath(platform, file))]),
    fileName,
    via: "cli",
    ctx: system(),
  });
  expectCounts(result);
  return result;
}

/**
 * Ingests crafted records under a file name (the name helps detection, as a vendor's file name would), as the CLI
 * does: a value is written as JSON, a string or Buffer as is. Nothing may be quarantined.
 */
export async function ingestRecords(fileName: string, records: unknown): Promise<IngestResult> {
  const bytes = Buffer.isBuffer(records) ? records : Buffer.from(typeof records === "string" ? records : JSON.stringify(records));
  const result = await ingestStream({ input: Readable.from([bytes]), fileName, via: "cli", ctx: system() });
  expectCounts(result);
  expect(result.error ?? null, fileName).toBeNull();
  expect(result.quarantined, fileName).toBe(0);
  return result;
}

/** Ingests fixture files that must read cleanly (nothing quarantined). */
export async function ingestCleanFixtures(files: readonly (readonly [platform: string, file: string])[]): Promise<IngestResult[]> {
  const results: IngestResult[] = [];
  for (const [platform, file] of files) {
    const r = await ingestFixture(platform, file);
    expect(r.quarantined, `${platform}/${file}`).toBe(0);
    results.push(r);
  }
  return results;
}

/** Fixture files ingested cleanly and correlated by a full pass: sessions, identities and credentials to work on. */
export async function seedCorrelated(files: readonly (readonly [platform: string, file: string])[]) {
  const ingests = await ingestCleanFixtures(files);
  const correlation = await runCorrelation({ ctx: system() });
  return { ingests, correlation };
}

/** The ingest invariant: every record read was stored, recognised as a duplicate, quarantined or skipped (no event in it). */
export function expectCounts(r: { read: number; stored: number; duplicate: number; quarantined: number; skipped?: number }): void {
  const skipped = r.skipped ?? 0;
  expect(r.read, `read ${r.read} = stored ${r.stored} + duplicate ${r.duplicate} + quarantined ${r.quarantined} + skipped ${skipped}`).toBe(
    r.stored + r.duplicate + r.quarantined + skipped,
  );
}

/** The same invariant on a stored ingest_batch row. */
export function expectBatchCounts(b: {
  readCount: number;
  storedCount: number;
  duplicateCount: number;
  quarantinedCount: number;
  skippedCount?: number;
}): void {
  expectCounts({
    read: b.readCount,
    stored: b.storedCount,
    duplicate: b.duplicateCount,
    quarantined: b.quarantinedCount,
    skipped: b.skippedCount,
  });
}

/** `p` rejects with an AppError of `code` (and a message matching `message`). */
export async function expectAppError(p: Promise<unknown>, code: string, message?: RegExp): Promise<void> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).code).toBe(code);
  if (message) expect((err as AppError).message).toMatch(message);
}

// Crafted rows, for tests that need exact data rather than an ingest (rule evaluators, coverage figures): every
// expected value is then counted by hand from the rows the test wrote. Only the columns given are written; the
// others keep their defaults ("tenantId" is the one tenant). Each returns the new row's id as text.

type CraftedTable = "event" | "identity" | "session" | "credential" | "governance_check" | "access_grant";

async function insertRow(table: CraftedTable, row: Record<string, unknown>): Promise<string> {
  const cols = Object.entries(row).filter(([, v]) => v !== undefined);
  const q = sql`INSERT INTO ${raw(table)} (${raw(cols.map(([c]) => `"${c}"`).join(", "))})
    VALUES (${join(cols.map(([, v]) => sql`${v}`))}) RETURNING id::text AS id`;
  return (await pool().query<{ id: string }>(q)).rows[0].id;
}

// Crafted events point at no real raw record: one made-up source per test file, raw record ids counted up.
const CRAFTED_SOURCE = crypto.randomUUID();
let craftedRaw = 1;

type Nullable<T> = { [K in keyof T]?: T[K] | null };

/** An event row; `data` is the normalized event's JSON (default {}). */
export function seedEvent(
  e: {
    platform: string;
    time: Date | string;
    classUid: number;
    className: string;
    activity: string;
    privileged?: boolean;
    data?: object;
  } & Nullable<{
    status: string;
    actorName: string;
    actorType: string;
    identityId: string;
    sessionId: string;
    sessionKey: string;
    credentialKey: string;
    clientAppId: string;
    srcIp: string;
    userAgent: string;
    targetId: string;
    targetName: string;
  }>,
): Promise<string> {
  return insertRow("event", { sourceId: CRAFTED_SOURCE, rawRecordId: craftedRaw++, ...e, data: JSON.stringify(e.data ?? {}) });
}

/** An identity row (a new id unless given). */
export function seedIdentity(
  i: { kind: string; displayName: string; id?: string } & Nullable<{
    primaryEmail: string;
    status: string;
    ownerIdentityId: string;
    firstSeenAt: Date;
    lastSeenAt: Date;
  }>,
): Promise<string> {
  return insertRow("identity", { id: crypto.randomUUID(), ...i });
}

/** A session row: a native key of its own and the rule "test" unless given, no source addresses. */
export function seedSession(
  s: {
    platform: string;
    startedAt: Date;
    endedAt: Date;
    sessionKey?: string;
    keyType?: string;
    rule?: string;
    srcIps?: string[];
  } & Nullable<{
    identityId: string;
    initiatorIdentityId: string;
    credentialId: string;
  }>,
): Promise<string> {
  return insertRow("session", {
    id: crypto.randomUUID(),
    sessionKey: crypto.randomUUID(),
    keyType: "native",
    rule: "test",
    srcIps: [],
    ...s,
  });
}

/** A credential row. */
export function seedCredential(
  c: { kind: string; platform: string; externalId: string } & Nullable<{ identityId: string; issuedAt: Date; lastUsedAt: Date }>,
): Promise<string> {
  return insertRow("credential", { id: crypto.randomUUID(), ...c });
}

/** A governance check of one event; `reasons` and `checks` default [], `statuses` {} (ok). */
export function seedGovernanceCheck(
  g: {
    eventId: string;
    platform: string;
    time: Date | string;
    action: string;
    category: string;
    status: string;
    statuses?: string[];
    checks?: object[];
    reasons?: string[];
  } & Nullable<{
    identityId: string;
    sessionId: string;
    actorName: string;
    approvalRef: string;
    approved: boolean;
    grantId: string;
    insideWindow: boolean;
    minutesOutside: number;
    usedPrivilege: string;
  }>,
): Promise<string> {
  return insertRow("governance_check", {
    id: crypto.randomUUID(),
    ...g,
    statuses: g.statuses ?? [],
    checks: JSON.stringify(g.checks ?? []),
    reasons: JSON.stringify(g.reasons ?? []),
  });
}

/** A JIT/PAM grant row (its system's id is `externalId`). */
export function seedAccessGrant(
  g: { externalId: string; system: string; principal: string; privilege: string; platform: string; grantedAt: Date } & Nullable<{
    expiresAt: Date;
    revokedAt: Date;
    ticketKey: string;
    identityId: string;
  }>,
): Promise<string> {
  return insertRow("access_grant", { id: crypto.randomUUID(), ...g });
}
