import path from "node:path";

// One place for the end-to-end environment, shared by playwright.config.ts, the global setup and the specs.
const port = Number(process.env.E2E_PORT ?? 3100);
const oidcPort = Number(process.env.E2E_OIDC_PORT ?? 3901);

export const E2E = {
  port,
  oidcPort,
  baseUrl: `http://127.0.0.1:${port}`,
  oidcIssuer: `http://127.0.0.1:${oidcPort}`,
  dataDir: path.resolve(".tmp", "e2e-data"),
  admin: { email: "admin@e2e.test", password: "e2e-admin-password-1" },
  users: {
    analyst: { email: "analyst@e2e.test", password: "e2e-analyst-password" },
    compliance: { email: "compliance@e2e.test", password: "e2e-compliance-password" },
    auditor: { email: "auditor@e2e.test", password: "e2e-auditor-password" },
  },
  /** Signs in and out through the form (pages.spec): its own account, so that ending its session touches nobody else's. */
  formUser: { email: "form-sign-in@e2e.test", password: "e2e-form-sign-in-password", role: "analyst" },
} as const;

export type RoleName = "admin" | "analyst" | "compliance" | "auditor";

export function credentialsFor(role: RoleName): { email: string; password: string } {
  return role === "admin" ? E2E.admin : E2E.users[role];
}

/**
 * Where the global setup keeps each role's signed-in browser state (its session cookie), so that specs which are
 * not about signing in start signed in instead of going through the form again (e2e/helpers.ts openAs, apiAs).
 */
export function statePath(role: RoleName): string {
  return path.join(E2E.dataDir, `state-${role}.json`);
}
