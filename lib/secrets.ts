import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

// Secrets generated on first start and kept in the data folder (mode 0600), never in the repository:
// the next-auth secret (when NEXTAUTH_SECRET is unset), the embedded PostgreSQL's owner password, and the password of
// the app's own role there (lib/db/app-role.ts).
export type LocalSecrets = { nextauthSecret: string; pgPassword: string; pgAppPassword: string };

export function loadOrCreateSecrets(dataDir: string): LocalSecrets {
  // 0711: others may pass through (the embedded PostgreSQL runs as its own user when started by root and
  // needs to reach data/pg) but not list the folder; secrets.json itself is 0600.
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o711 });
  fs.chmodSync(dataDir, 0o711);
  const file = path.join(dataDir, "secrets.json");
  let current: Partial<LocalSecrets> = {};
  if (fs.existsSync(file)) current = JSON.parse(fs.readFileSync(file, "utf8")) as Partial<LocalSecrets>;
  const next: LocalSecrets = {
    nextauthSecret: current.nextauthSecret ?? crypto.randomBytes(32).toString("base64url"),
    pgPassword: current.pgPassword ?? crypto.randomBytes(18).toString("base64url"),
    pgAppPassword: current.pgAppPassword ?? crypto.randomBytes(18).toString("base64url"),
  };
  if (
    next.nextauthSecret !== current.nextauthSecret ||
    next.pgPassword !== current.pgPassword ||
    next.pgAppPassword !== current.pgAppPassword
  ) {
    fs.writeFileSync(file, JSON.stringify(next, null, 2) + "\n", { mode: 0o600 });
  }
  return next;
}
