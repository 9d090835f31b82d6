import { expect } from "@playwright/test";
import { E2E } from "./config";
import { apiSignIn, withDb } from "./helpers";

// Seeds the users the specs sign in as, through the admin API (as an administrator would), then checks the
// database holds them with the right roles.
export default async function globalSetup() {
  const admin = await apiSignIn(E2E.admin.email, E2E.admin.password);
  for (const [role, cred] of Object.entries(E2E.users)) {
    const res = await admin.post("/api/v1/users", { data: { email: cred.email, password: cred.password, role, name: `E2E ${role}` } });
    expect([201, 409], `creating ${cred.email}: ${await res.text()}`).toContain(res.status());
  }
  await admin.dispose();
  const rows = await withDb(async (c) => (await c.query("SELECT email, role::text AS role FROM app_user ORDER BY email")).rows);
  for (const [role, cred] of Object.entries(E2E.users)) expect(rows).toContainEqual({ email: cred.email, role });
}
