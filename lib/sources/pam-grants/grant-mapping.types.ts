import { z } from "zod";

// A grant mapping: how to read the grant export of a PAM / JIT tool Sessionproof has no reader for, by naming which
// of its fields holds each part of a grant (docs/grant-format.md, "Grant mappings"). Declared in Settings or as a
// JSON file (npm run cli -- ingest --grant-mapping <file> <export>), stored in grant_mapping (lib/ingest/grant-mappings.ts).

/** A field of the export: a CSV column name or a JSON key; a dotted path ("request.user.email") reaches into objects. */
const fieldPath = z
  .string()
  .trim()
  .min(1, "Name the field (a CSV column or a JSON key; a.b.c reaches into nested objects).")
  .max(200, "A field name is at most 200 characters.");
const optionalPath = z.preprocess((v) => (v === "" || v === null ? undefined : v), fieldPath.optional());

export const GRANT_MAPPING_FIELDS = [
  "principal",
  "role",
  "platform",
  "start",
  "end",
  "approver",
  "ticket",
  "id",
  "status",
  "revoked",
] as const;
export type GrantMappingField = (typeof GRANT_MAPPING_FIELDS)[number];

export const grantMappingFields = z.strictObject({
  /** Who was granted the privilege (login, email, service account). */
  principal: fieldPath,
  /** What was granted (role, permission set, group). */
  role: fieldPath,
  /** When the grant took effect. */
  start: fieldPath,
  /** Where the privilege applies (else the mapping's constant platform, if any). */
  platform: optionalPath,
  /** When the grant ends (empty cell: no planned end). */
  end: optionalPath,
  approver: optionalPath,
  ticket: optionalPath,
  /** The tool's own id of the grant (else one is made from principal, role and start). */
  id: optionalPath,
  /** The grant's state in the tool (read through statusValues). */
  status: optionalPath,
  /** When the grant was ended early (a value here means revoked, as does a status meaning "revoked"). */
  revoked: optionalPath,
});

/** What a status value of the tool means. */
export const GRANT_STATUS_MEANINGS = ["granted", "revoked", "requested", "refused"] as const;
export const TIME_FORMATS = ["auto", "iso", "us", "epoch_seconds", "epoch_millis"] as const;

export const grantMappingDefinition = z.strictObject({
  name: z
    .string()
    .trim()
    .min(1, "Give the mapping a name (the tool it reads, e.g. teleport-access-requests).")
    .max(80, "A mapping name is at most 80 characters.")
    .regex(/^[A-Za-z0-9][A-Za-z0-9._ -]*$/, "Use letters, digits, spaces, dots, dashes and underscores, starting with a letter or digit."),
  description: z.preprocess((v) => (v === "" || v === null ? undefined : v), z.string().trim().max(500).optional()),
  fields: grantMappingFields,
  /** The platform every grant of this export is for, when the export has no platform field (e.g. "aws:111122223333"). */
  platform: z.preprocess((v) => (v === "" || v === null ? undefined : v), z.string().trim().max(200).optional()),
  /** How start and end are written: auto (ISO 8601, epoch, or M/D/YYYY h:mm AM), or exactly one of the others. */
  timeFormat: z.enum(TIME_FORMATS).default("auto"),
  /** The status values of the tool and their meaning, when `fields.status` is set (added to the common ones). */
  statusValues: z.record(z.string().trim().min(1), z.enum(GRANT_STATUS_MEANINGS)).optional(),
});
export type GrantMappingDefinition = z.output<typeof grantMappingDefinition>;
export type GrantMappingInput = z.input<typeof grantMappingDefinition>;
