import { types as pgTypes, type CustomTypesConfig } from "pg";
import type { NormalizedEventJson } from "@/lib/events/schema";

// What correlation loads of each stored event: the normalized event with only the fields a correlation step
// reads (the engine in correlate.ts, the session digest, the incremental run's correlation keys), and of `extra`
// only the delegation evidence (extra.initiator). The rest (the vendor's own fields in `extra`, message, policy,
// auth, native id, ...) is about a third of every event, which a million-event run would otherwise transfer,
// hold. The loader (run-correlation.ts) projects each row as the driver parses it (correlationRowTypes); doing it
// in SQL costs PostgreSQL a json-to-jsonb conversion per event, about three times the load time at 200,000
// events. A field a correlation step starts reading must be added here.

/** Top-level fields of the normalized event that correlation reads (`extra` is added, cut to projectExtra's fields). */
type CorrelationField =
  | "platform"
  | "class_uid"
  | "activity"
  | "event_name"
  | "time"
  | "status"
  | "actor"
  | "session"
  | "credential"
  | "issued_credentials"
  | "client"
  | "src_endpoint"
  | "user_agent"
  | "resources"
  | "privileged"
  | "correlation_id";

/**
 * The projection in JavaScript. The result keeps the NormalizedEventJson type for the fields correlation reads;
 * the others are absent, so it is only for correlation's own use. Built as one object literal (a copy with fields
 * deleted would be a slower dictionary-mode object).
 */
export function projectCorrelationData(d: NormalizedEventJson): NormalizedEventJson {
  const out = {
    platform: d.platform,
    class_uid: d.class_uid,
    activity: d.activity,
    event_name: d.event_name,
    time: d.time,
    status: d.status,
    actor: d.actor,
    session: d.session,
    credential: d.credential,
    issued_credentials: d.issued_credentials,
    client: d.client,
    src_endpoint: d.src_endpoint,
    user_agent: d.user_agent,
    resources: d.resources,
    privileged: d.privileged,
    correlation_id: d.correlation_id,
    extra: projectExtra(d.extra),
  } satisfies Record<CorrelationField | "extra", unknown>;
  return out as unknown as NormalizedEventJson;
}

/**
 * Of `extra`, what correlation reads: the delegation evidence (extra.initiator) and the fields that name the used
 * credential under the id its minting event issued (PlatformRules.credentialAlias: GitHub's token_id).
 */
function projectExtra(x: NormalizedEventJson["extra"]): Record<string, unknown> {
  if (!x) return {};
  const ini = Object.hasOwn(x, "initiator");
  const tok = Object.hasOwn(x, "token_id");
  if (!ini && !tok) return {};
  return { ...(ini ? { initiator: x.initiator } : {}), ...(tok ? { token_id: x.token_id } : {}) };
}

const JSON_OID = 114;
const JSONB_OID = 3802;
/** pg type parsers for a query whose json column is a normalized event: parsed, then projected, row by row. */
export const correlationRowTypes: CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === JSON_OID || oid === JSONB_OID
      ? (v: string) => projectCorrelationData(JSON.parse(v) as NormalizedEventJson)
      : pgTypes.getTypeParser(oid, format)) as CustomTypesConfig["getTypeParser"],
};
