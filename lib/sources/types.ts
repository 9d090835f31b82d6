import type { NormalizedEvent } from "@/lib/events/schema";
import type { LogTypeRetention } from "./vendor-retention";
import type { CatalogEntry } from "./privileged";
import type { PlatformProfile } from "./define-platform";

// The one interface every platform source implements. A source never reads files itself: lib/sources/read
// splits a file into records (exact bytes), the pipeline parses each record's JSON, and the source maps the
// parsed record to normalized events.

/** How the records sit in the file, as found by the reader (see lib/sources/read/splitter.ts). */
export type ContainerKind =
  | "json-array" // [ {...}, {...} ]  (Okta /api/v1/logs, GitHub REST audit-log pages)
  | "ndjson" // one JSON value per line (GitHub streaming, Azure Monitor storage PT1H.json, exports)
  | "envelope" // {"Records": [...]}, {"value": [...]}, {"records": [...]}, {"Events": [...]}
  | "object" // one JSON object: one record
  | "concatenated" // several pretty-printed objects one after the other
  | "csv" // a header row, then one record per data row: the record is {header: value} with string values
  | "empty"
  | "unknown"; // not JSON (CSV, text logs, binary)

/** What detection sees: the file name and the first parsed records. */
export type DetectProbe = {
  fileName: string;
  container: ContainerKind;
  /** The envelope key when container is "envelope" (Records, value, records, Events, items, entries, data, result, issues, entities, results). */
  envelopeKey: string | null;
  /** The first few records, parsed (at most 5). */
  records: unknown[];
};

export type NormalizeContext = {
  fileName: string;
  /** 0-based index of the record in its file, in read order. */
  position: number;
};

export type Source = {
  /** Everything known about the platform apart from reading its records; the fields below repeat its main parts. */
  profile: PlatformProfile;
  /** Stable id, also the Source.platform column: okta, entra, aws-cloudtrail, github, … */
  platform: string;
  /** Human name for lists and error messages. */
  label: string;
  /** The export shapes this source reads, for "supported: …" messages and the upload page. */
  formats: readonly string[];
  /** 0..1: how sure the source is that the probed file is its own (file name + first records). */
  detect(probe: DetectProbe): number;
  /**
   * One parsed record to its normalized events (usually one), each validated against NormalizedEventSchema.
   * Throws NormalizeError(reason) for a record it cannot normalize; the pipeline quarantines the record with
   * that reason. Any other exception is a bug in the source.
   */
  normalize(record: unknown, ctx: NormalizeContext): NormalizedEvent[];
  /**
   * The platform's privileged-action catalog (lib/sources/<platform>/privileged.ts): which events are privileged
   * actions, their category and the privilege they need, each entry citing its vendor page. Read by lib/governance.
   */
  privileged: readonly CatalogEntry[];
  /** Where the platform lets the caller name the actor (AWS role session names): what proves who acted instead. */
  callerNamedActor?: CallerNamedActor;
  /**
   * The vendor's retention per log type (lib/sources/<platform>/retention.ts), each entry citing its vendor page; []
   * for governance feeds, whose records stay in their system of record. Read by lib/coverage/log-retention.ts.
   */
  retention: readonly LogTypeRetention[];
};

/**
 * A platform whose records can carry an actor name the caller chose (AWS AssumeRole RoleSessionName, the Name of
 * GetFederationToken): such a name proves nothing about who acted. Governance matches approvals and grants to it only
 * when something else proves the person: the field below, a session issuer only an identity provider can use, or a
 * correlation link (an IdP sign-in with the same address, a credential lineage).
 */
export type CallerNamedActor = {
  /** Actor types (event.actor.type, verbatim) whose name is chosen by the caller. */
  actorTypes: readonly string[];
  /** The key in event.extra that carries a name the caller cannot change (AWS sourceIdentity). */
  provenNameField: string;
  /** Session issuers (event.session.issuer) only an identity provider can assume, which name the session after the signed-in user. */
  idpNamedIssuer: RegExp;
  /** Why the name is caller-chosen, for the check's reason. */
  what: string;
};

/** A record that cannot be normalized; `message` (= reason) is stored with the quarantined record. */
export class NormalizeError extends Error {
  readonly reason: string;
  /**
   * The platform the record belongs to, when the source recognises it as another platform's record (a mixed
   * export, e.g. Microsoft 365 audit records in a file of Entra ID logs): the pipeline hands it to that source.
   */
  readonly belongsTo: string | null;
  constructor(reason: string, opts: { belongsTo?: string } = {}) {
    super(reason);
    this.name = "NormalizeError";
    this.reason = reason;
    this.belongsTo = opts.belongsTo ?? null;
  }
}

/**
 * A record that is not an event and holds none, which the vendor delivers beside its events (a CloudTrail digest
 * file in the trail's S3 prefix, the last page of a paged API without its items array). The pipeline neither
 * stores nor quarantines it: the batch counts it as skipped and keeps `reason` as its note. Where a caller only
 * knows NormalizeError, it is one (the record is then quarantined with the reason, never lost).
 */
export class SkipRecord extends NormalizeError {
  readonly skipped = true;
  constructor(reason: string) {
    super(reason);
    this.name = "SkipRecord";
  }
}
