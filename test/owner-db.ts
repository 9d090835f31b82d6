import pg from "pg";

// The test database as its owner (the admin user that migrated it), for what the app's role may not do: change
// the schema (a trigger that injects a failure), or attack the ledger with the owner's or a superuser's rights.

/** The owner's URL of this test file's database (set by test/setup-db.ts). */
export function ownerUrl(): string {
  const url = process.env.TEST_OWNER_DATABASE_URL;
  if (!url) throw new Error("TEST_OWNER_DATABASE_URL is not set: owner-db.ts is for *.db.test.ts files (test/setup-db.ts sets it).");
  return url;
}

/** Runs `fn` on a connection as the owner, closed afterwards. */
export async function asOwner<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ownerUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
