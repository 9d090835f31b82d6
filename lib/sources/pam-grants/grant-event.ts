import { ocsfClass, type ActorKind, type EventResource, type JitGrant, type NormalizedEvent } from "@/lib/events/schema";
import { emailShaped, extraOf } from "../util/fields";
import { PAM_GRANTS_PLATFORM } from "./platform";

/** What a grant export says about one grant (or one request for one), whichever tool wrote it. */
export type GrantFacts = {
  jit: JitGrant;
  /** Who the event is about: the principal granted (kind and the tool's own type word). */
  principal: { id: string | null; name: string; kind: ActorKind; type: string | null };
  /** The event's time: when the grant took effect (or the request / removal was made). */
  time: Date;
  eventName: string;
  /** The grant's own id in the tool, its key type (pam-grants.grant_id, entra.pim.schedule, aws.team.request). */
  keyType: string;
  status?: NormalizedEvent["status"];
  resources: EventResource[];
  correlationId: string | null;
  extra: Record<string, unknown>;
};

/**
 * One JIT / PAM grant as an event: class 3005, assign_privileges (revoke_privileges when removed, other for a
 * request or a refusal), the principal as actor, the grant as a jit_grant credential keyed by its id, privileged (a
 * grant of privilege, by definition), `jit` for lib/ingest/project-governance.ts.
 */
export function grantEvent(g: GrantFacts): NormalizedEvent {
  const stage = g.jit.stage;
  const activity = stage === "completed" ? "assign_privileges" : stage === "removed" || stage === "expired" ? "revoke_privileges" : "other";
  const key = g.jit.request_id;
  return {
    schema_version: 1,
    platform: PAM_GRANTS_PLATFORM,
    ...ocsfClass(3005),
    activity,
    event_name: g.eventName,
    time: g.time,
    status: g.status ?? "success",
    status_detail: null,
    message: null,
    actor: {
      external_id: g.principal.id,
      name: g.principal.name,
      login: g.principal.name,
      email: emailShaped(g.principal.name),
      type: g.principal.type,
      kind_hint: g.principal.kind,
    },
    session: null,
    credential: key
      ? { key, key_type: g.keyType, kind: "jit_grant", native_type: null, parent_key: null, parent_key_type: null, parent_kind: null }
      : null,
    issued_credentials: [],
    auth: null,
    client: null,
    src_endpoint: { ip: null, location: null },
    user_agent: null,
    resources: g.resources,
    privileged: true,
    policy: null,
    jit: g.jit,
    approval: null,
    correlation_id: g.correlationId,
    native_id: key,
    extra: extraOf(g.extra),
  };
}
