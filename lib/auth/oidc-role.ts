import { isRole, type Role } from "./permissions";

// Turns the role claim of an OIDC ID token into a Sessionproof role. The claim may be a string or a list
// (Entra "roles", Okta "groups"); values are matched through SESSIONPROOF_OIDC_ROLE_MAP ("value=role,...")
// or taken as-is when they are a role name. The first value that maps wins, in the claim's own order.
export function parseRoleMap(spec: string | undefined): Map<string, Role> {
  const map = new Map<string, Role>();
  if (!spec) return map;
  for (const part of spec.split(",")) {
    const i = part.lastIndexOf("=");
    if (i <= 0) continue;
    const value = part.slice(0, i).trim();
    const role = part.slice(i + 1).trim();
    if (value && isRole(role)) map.set(value, role);
  }
  return map;
}

export function roleFromClaims(claims: Record<string, unknown>, opts: { claim: string; map?: string; defaultRole?: Role }): Role | null {
  const raw = opts.claim.split(".").reduce<unknown>((obj, key) => {
    return obj && typeof obj === "object" ? (obj as Record<string, unknown>)[key] : undefined;
  }, claims);
  const values = Array.isArray(raw) ? raw : raw === undefined || raw === null ? [] : [raw];
  const map = parseRoleMap(opts.map);
  for (const v of values) {
    if (typeof v !== "string") continue;
    const mapped = map.get(v) ?? (isRole(v) ? v : undefined);
    if (mapped) return mapped;
  }
  return opts.defaultRole ?? null;
}
