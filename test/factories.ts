import fs from "node:fs";
import { Readable } from "node:stream";
import { expect } from "vitest";
import type { Role } from "@/lib/auth/permissions";
import { fromSessionUser, system, type RequestContext } from "@/lib/context/request-context";
import { runCorrelation } from "@/lib/correlation/run-correlation";
import { db } from "@/lib/db";
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

/** The ingest invariant: every record read was stored, recognised as a duplicate or quarantined. */
export function expectCounts(r: { read: number; stored: number; duplicate: number; quarantined: number }): void {
  expect(r.read, `read ${r.read} = stored ${r.stored} + duplicate ${r.duplicate} + quarantined ${r.quarantined}`).toBe(
    r.stored + r.duplicate + r.quarantined,
  );
}

/** The same invariant on a stored ingest_batch row. */
export function expectBatchCounts(b: { readCount: number; storedCount: number; duplicateCount: number; quarantinedCount: number }): void {
  expectCounts({ read: b.readCount, stored: b.storedCount, duplicate: b.duplicateCount, quarantined: b.quarantinedCount });
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
