import type { ActorKind, EventResource, JitGrant, NormalizedEvent } from "@/lib/events/schema";
import { NormalizeError } from "../types";
import { field, isRec, keyText, text } from "../util/fields";
import { tryParseTime } from "../util/time";
import { grantEvent } from "./grant-event";
import { PAM_GRANTS_PLATFORM } from "./platform";
import { normalizeVendorGrant } from "./vendor-grants";

// The Sessionproof grant format (docs/grant-format.md): one record per privilege grant, written by any PAM /
// JIT tool (or a script over its API) as a JSON array, NDJSON or CSV with the columns grant_id, principal,
// privilege, platform, granted_at, expires_at, revoked_at, approved_by, ticket (+ optional requested_at,
// justification, principal_type). CSV rows reach normalize() as {header: string} objects, so every field is
// read as text here, whatever the container.

export { PAM_GRANTS_PLATFORM };

/** The fields that make a record a grant (detection and the reason of a rejection). */
export const REQUIRED_FIELDS = ["grant_id", "principal", "privilege", "granted_at"] as const;

/** principal_type (documented values) → kind hint; anything else is unknown. */
const PRINCIPAL_KIND: Record<string, ActorKind> = {
  human: "human",
  user: "human",
  service_account: "service_account",
  service: "service_account",
  workload: "workload",
  bot: "bot",
  ai_agent: "ai_agent",
  agent: "ai_agent",
  api_token: "api_token",
  oauth_app: "oauth_app",
};

/** A time field: null when empty; a NormalizeError when present but unreadable (a grant's bounds must be exact). */
function timeField(r: Record<string, unknown>, name: string): Date | null {
  const raw = field(r, name);
  if (raw === undefined || raw === null || (typeof raw === "string" && text(raw) === null)) return null;
  const d = tryParseTime(raw);
  if (!d) throw new NormalizeError(`not a valid grant: ${name} is not a readable time (${JSON.stringify(raw).slice(0, 60)})`);
  return d;
}

export function normalizePamGrant(record: unknown): NormalizedEvent[] {
  if (!isRec(record)) throw new NormalizeError("not a Sessionproof grant: not a JSON object or CSV row");
  const vendor = field(record, "grant_id") === undefined ? normalizeVendorGrant(record) : null;
  if (vendor) return [vendor];
  const missing = REQUIRED_FIELDS.filter((f) => keyText(field(record, f)) === null);
  if (missing.length === REQUIRED_FIELDS.length)
    throw new NormalizeError("not a Sessionproof grant: grant_id, principal, privilege and granted_at are missing");
  if (missing.length) throw new NormalizeError(`not a valid grant: ${missing.join(", ")} ${missing.length > 1 ? "are" : "is"} missing`);

  const grantId = keyText(field(record, "grant_id"))!;
  const principal = keyText(field(record, "principal"))!;
  const privilege = keyText(field(record, "privilege"))!;
  const grantedAt = timeField(record, "granted_at")!; // present (checked above) and readable (else timeField threw)
  const expiresAt = timeField(record, "expires_at");
  const revokedAt = timeField(record, "revoked_at");
  const requestedAt = timeField(record, "requested_at");
  if (expiresAt && expiresAt.getTime() < grantedAt.getTime()) {
    throw new NormalizeError(
      `not a valid grant: expires_at (${expiresAt.toISOString()}) is before granted_at (${grantedAt.toISOString()})`,
    );
  }
  if (revokedAt && revokedAt.getTime() < grantedAt.getTime()) {
    throw new NormalizeError(
      `not a valid grant: revoked_at (${revokedAt.toISOString()}) is before granted_at (${grantedAt.toISOString()})`,
    );
  }

  const platform = keyText(field(record, "platform"));
  const principalType = keyText(field(record, "principal_type"));
  const approvedBy = keyText(field(record, "approved_by"));
  const ticket = keyText(field(record, "ticket"));
  const justification = text(field(record, "justification"));

  const jit: JitGrant = {
    provider: "sessionproof.grant",
    // A grant with revoked_at ended early (removed); otherwise it is in force until expires_at (completed).
    stage: revokedAt ? "removed" : "completed",
    assignment: null,
    role_id: null,
    role_name: privilege,
    principal_id: null,
    principal_name: principal,
    justification,
    ticket,
    start_time: grantedAt.toISOString(),
    end_time: expiresAt ? expiresAt.toISOString() : null,
    request_id: grantId,
    target_platform: platform,
    approved_by: approvedBy,
    revoked_time: revokedAt ? revokedAt.toISOString() : null,
  };

  const resources: EventResource[] = [{ type: "pam.privilege", id: null, name: privilege }];
  if (platform) resources.push({ type: "pam.platform", id: null, name: platform });

  return [
    grantEvent({
      jit,
      principal: {
        id: null,
        name: principal,
        type: principalType,
        kind: (principalType && PRINCIPAL_KIND[principalType.toLowerCase()]) || "unknown",
      },
      time: grantedAt,
      eventName: "grant",
      keyType: "pam-grants.grant_id",
      resources,
      correlationId: ticket,
      extra: { requested_at: requestedAt ? requestedAt.toISOString() : null, principal_type: principalType },
    }),
  ];
}
