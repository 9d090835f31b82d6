import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { actorUserId, type RequestContext } from "@/lib/context/request-context";
import { ensureSource } from "@/lib/ingest/sources";
import { hashToken, looksLikeToken, newToken } from "./token-format";
import type { ApiTokenDto, CreateApiTokenInput, CreatedApiToken } from "./api-tokens.types";

export type { ApiTokenDto } from "./api-tokens.types";

type Row = Awaited<ReturnType<typeof loadTokens>>[number];

function loadTokens(where: { id?: string } = {}) {
  return db().apiToken.findMany({
    where,
    include: { source: true, createdBy: { select: { email: true } } },
    orderBy: [{ revokedAt: { sort: "asc", nulls: "first" } }, { createdAt: "desc" }],
  });
}

function toDto(t: Row): ApiTokenDto {
  return {
    id: t.id,
    name: t.name,
    prefix: t.prefix,
    sourceId: t.sourceId,
    sourceName: t.source.name,
    platform: t.source.platform,
    createdAt: t.createdAt.toISOString(),
    createdBy: t.createdBy?.email ?? null,
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    expiresAt: t.expiresAt?.toISOString() ?? null,
    revokedAt: t.revokedAt?.toISOString() ?? null,
  };
}

export async function listApiTokens(_: Record<string, never> = {}): Promise<ApiTokenDto[]> {
  return (await loadTokens()).map(toDto);
}

// `input` is parsed by createApiTokenInput (the route contract, or the caller); the platform is checked here
// against the ones this build reads.
export async function createApiToken({
  ctx,
  input: data,
  knownPlatforms,
}: {
  ctx: RequestContext;
  input: CreateApiTokenInput;
  knownPlatforms: string[];
}): Promise<CreatedApiToken> {
  if (!knownPlatforms.includes(data.platform)) {
    throw new AppError("VALIDATION", `Unknown platform "${data.platform}".`, {
      platform: [`Supported platforms: ${knownPlatforms.join(", ")}.`],
    });
  }
  const { token, prefix, hash } = newToken();
  const id = await db().$transaction(async (tx) => {
    const source = await ensureSource({ platform: data.platform, name: data.sourceName || undefined }, tx);
    if (source.platform !== data.platform) {
      throw new AppError("CONFLICT", `The source "${source.name}" delivers ${source.platform}, not ${data.platform}.`);
    }
    const created = await tx.apiToken.create({
      data: {
        name: data.name,
        prefix,
        tokenHash: hash,
        sourceId: source.id,
        createdById: actorUserId(ctx),
        expiresAt: data.expiresInDays ? new Date(Date.now() + data.expiresInDays * 86_400_000) : null,
      },
    });
    await recordAudit(
      {
        ctx,
        resourceType: "api_token",
        resourceId: created.id,
        details: { type: "api_token.created", name: data.name, prefix, source: source.name },
      },
      tx,
    );
    return created.id;
  });
  const [row] = await loadTokens({ id });
  return { token, apiToken: toDto(row) };
}

export async function revokeApiToken({ ctx, id }: { ctx: RequestContext; id: string }): Promise<ApiTokenDto> {
  await db().$transaction(async (tx) => {
    const t = await tx.apiToken.findUnique({ where: { id } });
    if (!t) throw new AppError("NOT_FOUND", "No such API token.");
    if (t.revokedAt) return;
    await tx.apiToken.update({ where: { id }, data: { revokedAt: new Date() } });
    await recordAudit(
      { ctx, resourceType: "api_token", resourceId: id, details: { type: "api_token.revoked", name: t.name, prefix: t.prefix } },
      tx,
    );
  });
  const [row] = await loadTokens({ id });
  return toDto(row);
}

/** Resolves a push request's bearer token to its source, or refuses with a message that says why. */
export async function authenticatePushToken({ authorization }: { authorization: string | null }) {
  const token = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (!token) throw new AppError("UNAUTHENTICATED", "Send the source's API token as 'Authorization: Bearer <token>'.");
  if (!looksLikeToken(token)) throw new AppError("UNAUTHENTICATED", "This is not a Sessionproof push token.");
  const row = await db().apiToken.findUnique({ where: { tokenHash: hashToken(token) }, include: { source: true } });
  if (!row) throw new AppError("UNAUTHENTICATED", "Unknown API token.");
  if (row.revokedAt) throw new AppError("UNAUTHENTICATED", "This API token was revoked; ask an administrator for a new one.");
  if (row.expiresAt && row.expiresAt < new Date()) throw new AppError("UNAUTHENTICATED", "This API token has expired.");
  await db().apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
  return { tokenId: row.id, tokenName: row.name, source: row.source };
}
