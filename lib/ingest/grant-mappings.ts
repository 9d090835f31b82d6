import fs from "node:fs";
import { Readable } from "node:stream";
import { recordAudit } from "@/lib/audit/record-audit";
import { actorUserId, DEFAULT_TENANT, type RequestContext } from "@/lib/context/request-context";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { grantMappingDefinition, type GrantMappingDefinition } from "@/lib/sources/pam-grants/grant-mapping.types";
import { readMappedGrant } from "@/lib/sources/pam-grants/mapped-grant";
import { readRecords } from "@/lib/sources/read";
import { NormalizeError } from "@/lib/sources/types";
import { isRec } from "@/lib/sources/util/fields";
import type { GrantMappingDto, GrantPreview, GrantPreviewRecord, PreviewGrantMappingInput } from "./grant-mappings.types";

// Grant mappings (issue 14 §5): how to read the grant export of a PAM / JIT tool without a reader. Saved by an admin
// (API, Settings), loaded by name or from a JSON file for an ingest, and previewed on the first records of an export
// before anything is stored.

type Row = Awaited<ReturnType<typeof loadRows>>[number];

function loadRows(where: { name?: string } = {}) {
  return db().grantMapping.findMany({
    where: { tenantId: DEFAULT_TENANT, ...where },
    include: { createdBy: { select: { email: true } } },
    orderBy: { name: "asc" },
  });
}

/** A stored definition, validated again: a row edited by hand must not reach ingest unchecked. */
function definitionOf(row: { name: string; definition: unknown }): GrantMappingDefinition {
  const parsed = grantMappingDefinition.safeParse(row.definition);
  if (!parsed.success)
    throw new AppError(
      "CONFLICT",
      `The stored grant mapping "${row.name}" is not valid any more: ${parsed.error.issues[0]?.message}. Save it again.`,
    );
  return parsed.data;
}

function toDto(r: Row): GrantMappingDto {
  return {
    id: r.id,
    name: r.name,
    definition: definitionOf(r),
    createdAt: r.createdAt.toISOString(),
    createdBy: r.createdBy?.email ?? null,
    updatedAt: r.updatedAt.toISOString(),
  };
}

export async function listGrantMappings(_: Record<string, never> = {}): Promise<GrantMappingDto[]> {
  return (await loadRows()).map(toDto);
}

/** Saves a mapping under its name; a mapping of the same name is replaced (the audit entry says so). */
export async function saveGrantMapping({ ctx, input }: { ctx: RequestContext; input: GrantMappingDefinition }): Promise<GrantMappingDto> {
  const definition = grantMappingDefinition.parse(input);
  await db().$transaction(async (tx) => {
    const existing = await tx.grantMapping.findUnique({ where: { tenantId_name: { tenantId: DEFAULT_TENANT, name: definition.name } } });
    const saved = existing
      ? await tx.grantMapping.update({ where: { id: existing.id }, data: { definition } })
      : await tx.grantMapping.create({ data: { name: definition.name, definition, createdById: actorUserId(ctx) } });
    await recordAudit(
      {
        ctx,
        resourceType: "grant_mapping",
        resourceId: saved.id,
        details: { type: "grant_mapping.saved", name: definition.name, replaced: existing !== null, definition },
      },
      tx,
    );
  });
  const [row] = await loadRows({ name: definition.name });
  return toDto(row);
}

/** A saved mapping by name, or NOT_FOUND naming the ones there are. */
export async function getGrantMapping(name: string): Promise<GrantMappingDefinition> {
  const [row] = await loadRows({ name });
  if (row) return definitionOf(row);
  const names = (await loadRows()).map((r) => r.name);
  throw new AppError(
    "NOT_FOUND",
    `No grant mapping named "${name}". ${names.length ? `Saved mappings: ${names.join(", ")}.` : "None is saved yet."} ` +
      "Save one in Settings, or give the path of a mapping JSON file.",
  );
}

/** A mapping JSON file (CLI): parsed and validated, every problem named with its field. */
export function readGrantMappingFile(file: string): GrantMappingDefinition {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    throw new AppError("VALIDATION", `Could not read the grant mapping ${file}: ${(err as Error).message}`);
  }
  const parsed = grantMappingDefinition.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "(the file)"}: ${i.message}`);
    throw new AppError("VALIDATION", `The grant mapping ${file} is not valid: ${problems.join("; ")}`);
  }
  return parsed.data;
}

/** A saved mapping's name, or a JSON file's path: the file when it exists. */
export async function resolveGrantMapping(nameOrFile: string): Promise<GrantMappingDefinition> {
  return fs.existsSync(nameOrFile) && fs.statSync(nameOrFile).isFile() ? readGrantMappingFile(nameOrFile) : getGrantMapping(nameOrFile);
}

const PREVIEW_RECORDS = 5;
const FIELDS_SEEN_MAX = 100;

/** The field names of a record, nested objects as dotted paths (what a mapping can name). */
function fieldNames(r: unknown, prefix = "", out = new Set<string>()): Set<string> {
  if (!isRec(r)) return out;
  for (const [k, v] of Object.entries(r)) {
    if (out.size >= FIELDS_SEEN_MAX) break;
    const name = prefix + k;
    if (isRec(v) && prefix.split(".").length < 4) fieldNames(v, `${name}.`, out);
    else out.add(name);
  }
  return out;
}

/**
 * The first records of an export read through a mapping, nothing stored: each one's grant, or exactly why the mapping
 * cannot read it (the same reason ingest would quarantine it with).
 */
export async function previewGrantMapping({ input }: { input: PreviewGrantMappingInput }): Promise<GrantPreview> {
  const fileName =
    input.fileName ?? (input.sample.trimStart().startsWith("{") || input.sample.trimStart().startsWith("[") ? "sample.json" : "sample.csv");
  const records: GrantPreviewRecord[] = [];
  const fields = new Set<string>();
  let read = 0;
  for await (const item of readRecords(Readable.from([Buffer.from(input.sample, "utf8")]), { fileName, parse: true })) {
    read++;
    if (records.length >= PREVIEW_RECORDS) continue;
    if ("error" in item) {
      records.push({ position: item.position, ok: false, reason: `not readable: ${item.error}`, grant: null });
      continue;
    }
    fieldNames(item.value, "", fields);
    try {
      const g = readMappedGrant(input.mapping, item.value);
      records.push({
        position: item.position,
        ok: true,
        reason: null,
        grant: {
          id: g.id,
          principal: g.principal,
          role: g.role,
          platform: g.platform,
          start: g.start.toISOString(),
          end: g.end ? g.end.toISOString() : null,
          revoked: g.revoked ? g.revoked.toISOString() : null,
          approver: g.approver,
          ticket: g.ticket,
          stage: g.stage,
        },
      });
    } catch (err) {
      if (!(err instanceof NormalizeError)) throw err;
      records.push({ position: item.position, ok: false, reason: err.message, grant: null });
    }
  }
  if (read === 0)
    throw new AppError("VALIDATION", "The sample holds no record: paste the first lines of the export, with its CSV header row.");
  return { fieldsSeen: [...fields], records, read };
}
