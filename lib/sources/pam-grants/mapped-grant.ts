import type { JitGrant, NormalizedEvent } from "@/lib/events/schema";
import type { GrantMappingDefinition, GrantMappingField } from "./grant-mapping.types";
import { defineSource } from "../define-source";
import { NormalizeError, type Source } from "../types";
import { emailShaped, isRec, keyText, text, type Rec } from "../util/fields";
import { tryParseTime, tryParseUsTime } from "../util/time";
import { grantEvent } from "./grant-event";
import { PAM_GRANTS_PROFILE } from "./profile";

// A grant export of a tool Sessionproof has no reader for, read through the field mapping an admin declared
// (lib/grant-mappings): each record becomes the same grant event as the Sessionproof grant format, or is refused with
// the exact field that is missing or unreadable, so the batch quarantines just that record.

/** The status words most PAM / JIT tools use, and what they mean; a mapping's statusValues add to (and override) them. */
const COMMON_STATUS: Record<string, "granted" | "revoked" | "requested" | "refused"> = {
  active: "granted",
  activated: "granted",
  granted: "granted",
  provisioned: "granted",
  completed: "granted",
  ended: "granted",
  closed: "granted",
  revoked: "revoked",
  removed: "revoked",
  deactivated: "revoked",
  pending: "requested",
  requested: "requested",
  scheduled: "requested",
  denied: "refused",
  rejected: "refused",
  cancelled: "refused",
  canceled: "refused",
  failed: "refused",
  error: "refused",
};

const STAGE = { granted: "completed", revoked: "removed", requested: "requested", refused: "other" } as const;

/** A field by its exact name (CSV columns may hold dots), else by its dotted path into nested objects. */
export function valueAtPath(r: Rec, path: string): unknown {
  if (Object.hasOwn(r, path)) return r[path];
  let cur: unknown = r;
  for (const part of path.split(".")) {
    if (!isRec(cur)) return undefined;
    cur = cur[part];
  }
  return cur;
}

const TIME_FORMAT_WORDS: Record<GrantMappingDefinition["timeFormat"], string> = {
  auto: "ISO 8601, epoch seconds or milliseconds, or M/D/YYYY h:mm:ss AM",
  iso: "ISO 8601",
  us: "M/D/YYYY h:mm:ss AM (UTC)",
  epoch_seconds: "epoch seconds",
  epoch_millis: "epoch milliseconds",
};

function parseMappedTime(v: unknown, format: GrantMappingDefinition["timeFormat"]): Date | null {
  const epoch = (scale: number) => {
    const n = typeof v === "number" ? v : typeof v === "string" && /^\d+(\.\d+)?$/.test(v.trim()) ? Number(v) : NaN;
    return Number.isFinite(n) ? new Date(Math.trunc(n * scale)) : null;
  };
  switch (format) {
    case "iso":
      return typeof v === "string" && /^\d{4}-\d{2}-\d{2}/.test(v.trim()) ? tryParseTime(v) : null;
    case "us":
      return tryParseUsTime(v);
    case "epoch_seconds":
      return epoch(1000);
    case "epoch_millis":
      return epoch(1);
    default:
      return tryParseTime(v) ?? tryParseUsTime(v);
  }
}

/** Reads one record through a mapping; every refusal names the grant part, the export's field and what was there. */
class MappedRecord {
  constructor(
    private readonly m: GrantMappingDefinition,
    private readonly r: Rec,
  ) {}

  private refuse(why: string): never {
    throw new NormalizeError(`grant mapping "${this.m.name}": ${why}`);
  }

  private raw(part: GrantMappingField): unknown {
    const path = this.m.fields[part];
    return path === undefined ? undefined : valueAtPath(this.r, path);
  }

  text(part: GrantMappingField, required: true): string;
  text(part: GrantMappingField, required?: false): string | null;
  text(part: GrantMappingField, required = false): string | null {
    const v = keyText(this.raw(part));
    if (v === null && required) this.refuse(`${part} (field "${this.m.fields[part]}") is missing or empty`);
    return v;
  }

  time(part: "start" | "end" | "revoked", required: boolean): Date | null {
    const v = this.raw(part);
    if (v === undefined || v === null || (typeof v === "string" && text(v) === null)) {
      if (required) this.refuse(`${part} (field "${this.m.fields[part]}") is missing or empty`);
      return null;
    }
    const d = parseMappedTime(v, this.m.timeFormat);
    if (!d || Number.isNaN(d.getTime()))
      this.refuse(
        `${part} (field "${this.m.fields[part]}") is not a readable time: ${JSON.stringify(v).slice(0, 60)} (the mapping reads ${TIME_FORMAT_WORDS[this.m.timeFormat]})`,
      );
    return d;
  }

  stage(): JitGrant["stage"] {
    if (!this.m.fields.status) return "completed";
    const status = this.text("status", true);
    const own = Object.entries(this.m.statusValues ?? {}).find(([k]) => k.toLowerCase() === status.toLowerCase())?.[1];
    const meaning = own ?? COMMON_STATUS[status.toLowerCase()];
    if (!meaning) {
      const known = [...new Set([...Object.keys(this.m.statusValues ?? {}), ...Object.keys(COMMON_STATUS)])];
      this.refuse(
        `status ${JSON.stringify(status)} (field "${this.m.fields.status}") has no meaning declared: add it to the mapping's status values ` +
          `(granted, revoked, requested or refused); known: ${known.join(", ")}`,
      );
    }
    return STAGE[meaning];
  }
}

/** The facts of one grant as a mapping reads them (the preview shows these). */
export type MappedGrantFacts = {
  id: string | null;
  principal: string;
  role: string;
  platform: string | null;
  start: Date;
  end: Date | null;
  /** When the grant was ended early (stage "removed"). */
  revoked: Date | null;
  approver: string | null;
  ticket: string | null;
  stage: JitGrant["stage"];
};

export function readMappedGrant(m: GrantMappingDefinition, record: unknown): MappedGrantFacts {
  if (!isRec(record)) throw new NormalizeError(`grant mapping "${m.name}": not a JSON object or CSV row`);
  const x = new MappedRecord(m, record);
  const principal = x.text("principal", true);
  const role = x.text("role", true);
  const start = x.time("start", true)!;
  const end = x.time("end", false);
  if (end && end.getTime() < start.getTime())
    throw new NormalizeError(
      `grant mapping "${m.name}": end (${end.toISOString()}, field "${m.fields.end}") is before start (${start.toISOString()})`,
    );
  const revokedAt = x.time("revoked", false);
  let stage = x.stage();
  if (revokedAt && stage === "completed") stage = "removed"; // a revocation time says it ended early, like revoked_at
  let revoked: Date | null = null;
  if (stage === "removed") {
    // When it was revoked: the revocation field, else the end (a revoked grant's end is when it ended).
    revoked = revokedAt ?? end;
    if (!revoked)
      throw new NormalizeError(
        `grant mapping "${m.name}": the grant was revoked but the record says when neither in a revoked field nor in end` +
          `${m.fields.end ? ` (field "${m.fields.end}" is empty)` : ""}: map the revocation time (fields.revoked)`,
      );
    if (revoked.getTime() < start.getTime())
      throw new NormalizeError(`grant mapping "${m.name}": revoked (${revoked.toISOString()}) is before start (${start.toISOString()})`);
  }
  return {
    id: x.text("id"),
    principal,
    role,
    platform: x.text("platform") ?? m.platform ?? null,
    start,
    end,
    revoked,
    approver: x.text("approver"),
    ticket: x.text("ticket"),
    stage,
  };
}

/** The grant event of one record read through a mapping. */
export function normalizeMappedGrant(m: GrantMappingDefinition, record: unknown): NormalizedEvent[] {
  const g = readMappedGrant(m, record);
  // Without an id in the export, the grant is keyed by who, what and from when: what makes it one grant.
  const key = g.id ?? `${g.principal.toLowerCase()}|${g.role}|${g.start.toISOString()}`;
  const event = grantEvent({
    jit: {
      provider: `mapping:${m.name}`,
      stage: g.stage,
      assignment: null,
      role_id: null,
      role_name: g.role,
      principal_id: null,
      principal_name: g.principal,
      justification: null,
      ticket: g.ticket,
      start_time: g.start.toISOString(),
      end_time: g.end ? g.end.toISOString() : null,
      request_id: key,
      target_platform: g.platform,
      approved_by: g.approver,
      revoked_time: g.revoked ? g.revoked.toISOString() : null,
    },
    principal: { id: null, name: g.principal, kind: emailShaped(g.principal) ? "human" : "unknown", type: null },
    time: g.start,
    eventName: `grant (${m.name})`,
    keyType: `pam-grants.mapping:${m.name}`,
    resources: [
      { type: "pam.privilege", id: null, name: g.role },
      ...(g.platform ? [{ type: "pam.platform", id: null, name: g.platform }] : []),
    ],
    correlationId: g.ticket,
    extra: { shape: "grant-mapping", mapping: m.name, stage: g.stage },
  });
  // Two tools' grant ids are not one namespace: the native id (semantic dedup) is scoped by the mapping.
  return [{ ...event, native_id: `${m.name}:${key}` }];
}

/** A pam-grants source that reads every record through the mapping (ingest with a declared mapping). */
export function mappedGrantSource(m: GrantMappingDefinition): Source {
  return defineSource({
    // The grant feed's profile, under a label that names the mapping.
    profile: { ...PAM_GRANTS_PROFILE, label: `Grant export read with the mapping "${m.name}"` },
    formats: ["JSON array, NDJSON, API page or CSV, read through a declared grant mapping"],
    detect: () => 0,
    normalize: (record) => normalizeMappedGrant(m, record),
  });
}
