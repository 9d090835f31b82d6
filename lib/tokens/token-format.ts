import crypto from "node:crypto";

// Push-delivery tokens look like "sp_push_<8 hex id>_<43 chars secret>". The id part is stored in clear as
// the display prefix; the whole token only as SHA-256 (tokens are high-entropy, so a fast hash is right here,
// unlike passwords). The token is shown once, at creation.
const PATTERN = /^sp_push_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/;

export function newToken(): { token: string; prefix: string; hash: string } {
  const id = crypto.randomBytes(4).toString("hex");
  const token = `sp_push_${id}_${crypto.randomBytes(32).toString("base64url")}`;
  return { token, prefix: `sp_push_${id}`, hash: hashToken(token) };
}

export function hashToken(token: string): string {
  return crypto.createHash("sha256").update(token).digest("hex");
}

export function looksLikeToken(token: string): boolean {
  return PATTERN.test(token);
}
