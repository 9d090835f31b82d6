import { expect } from "@playwright/test";
import { E2E, statePath, type RoleName } from "./config";
import { apiSignIn, withDb } from "./helpers";

// Seeds the users the specs sign in as, through the admin API (as an administrator would), checks the database
// holds them with the right roles, then signs each role in once and keeps its browser state (statePath) for the
// specs that are not about signing in. Signing in through the form is tested in pages.spec, sign-in-return.spec
// and oidc.spec; elsewhere it only cost time (about 2.5 s a test).
export default async function globalSetup() {
  const admin = await apiSignIn(E2E.admin.email, E2E.admin.password);
  const accounts = [...Object.entries(E2E.users), [E2E.formUser.role, E2E.formUser] as const];
  for (const [role, cred] of accounts) {
    const res = await admin.post("/api/v1/users", { data: { email: cred.email, password: cred.password, role, name: `E2E ${role}` } });
    expect([201, 409], `creating ${cred.email}: ${await res.text()}`).toContain(res.status());
  }
  await admin.storageState({ path: statePath("admin") });
  await admin.dispose();
  const rows = await withDb(async (c) => (await c.query("SELECT email, role::text AS role FROM app_user ORDER BY email")).rows);
  for (const [role, cred] of accounts) expect(rows).toContainEqual({ email: cred.email, role });
  for (const [role, cred] of Object.entries(E2E.users)) {
    const ctx = await apiSignIn(cred.email, cred.password);
    await ctx.storageState({ path: statePath(role as RoleName) });
    await ctx.dispose();
  }
}
