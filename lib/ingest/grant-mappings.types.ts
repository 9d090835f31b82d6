import { z } from "zod";
import { wholeListResult } from "@/lib/list-result";
import { grantMappingDefinition } from "@/lib/sources/pam-grants/grant-mapping.types";

// The API of grant mappings (lib/ingest/grant-mappings.ts): list, save, preview on the first records of an export.

/** A stored mapping as the API shows it. */
export const grantMappingDto = z.object({
  id: z.string(),
  name: z.string(),
  definition: grantMappingDefinition,
  createdAt: z.string(),
  createdBy: z.string().nullable(),
  updatedAt: z.string(),
});
export type GrantMappingDto = z.infer<typeof grantMappingDto>;

/** One record of a preview: the grant it gives, or exactly why it cannot be read. */
export const grantPreviewRecord = z.object({
  position: z.number(),
  ok: z.boolean(),
  reason: z.string().nullable(),
  grant: z
    .object({
      id: z.string().nullable(),
      principal: z.string(),
      role: z.string(),
      platform: z.string().nullable(),
      start: z.string(),
      end: z.string().nullable(),
      revoked: z.string().nullable(),
      approver: z.string().nullable(),
      ticket: z.string().nullable(),
      stage: z.string(),
    })
    .nullable(),
});
export type GrantPreviewRecord = z.infer<typeof grantPreviewRecord>;

export const grantPreview = z.object({
  /** The fields (CSV columns, top-level JSON keys) of the first records, to choose from. */
  fieldsSeen: z.array(z.string()),
  records: z.array(grantPreviewRecord),
  /** Records read in the sample (the preview shows the first few). */
  read: z.number(),
});
export type GrantPreview = z.infer<typeof grantPreview>;

export const PREVIEW_MAX_SAMPLE_BYTES = 256 * 1024;
export const previewGrantMappingInput = z.strictObject({
  mapping: grantMappingDefinition,
  /** The first part of the export (its text): JSON array, NDJSON, API page or CSV with its header row. */
  sample: z
    .string()
    .min(1, "Paste the first lines of the export (with the CSV header row).")
    .max(PREVIEW_MAX_SAMPLE_BYTES, "The sample is at most 256 KB: the first records are enough."),
  fileName: z.preprocess((v) => (v === "" || v === null ? undefined : v), z.string().trim().max(200).optional()),
});
export type PreviewGrantMappingInput = z.output<typeof previewGrantMappingInput>;

// GET /api/v1/ingest/grant-mappings, POST (201; replaces the mapping of the same name), POST .../preview.
export const listGrantMappingsContract = { response: wholeListResult(grantMappingDto) };
export const saveGrantMappingContract = { body: grantMappingDefinition, response: grantMappingDto, created: true } as const;
export const previewGrantMappingContract = { body: previewGrantMappingInput, response: grantPreview };
