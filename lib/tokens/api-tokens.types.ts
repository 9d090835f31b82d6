import { z } from "zod";
import { wholeListResult } from "@/lib/list-result";

export const createApiTokenInput = z.object({
  name: z.string().trim().min(1, "Give the token a name that says where it is used.").max(100),
  platform: z.string().trim().min(1, "Choose the platform this token delivers."),
  sourceName: z.string().trim().max(100).optional(),
  expiresInDays: z.preprocess(
    (v) => (v === "" || v === null ? undefined : v),
    z.coerce.number().int().min(1, "Expiry must be at least 1 day.").max(3650, "Expiry can be at most 3650 days.").optional(),
  ),
});
export type CreateApiTokenInput = z.output<typeof createApiTokenInput>;

/** A push token as the API shows it: never the secret, nor its hash. */
export const apiTokenDto = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  sourceId: z.string(),
  sourceName: z.string(),
  platform: z.string(),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type ApiTokenDto = z.infer<typeof apiTokenDto>;

/** A new token: the secret is in this answer only, once. */
export const createdApiToken = z.object({ token: z.string(), apiToken: apiTokenDto });
export type CreatedApiToken = z.infer<typeof createdApiToken>;

// GET /api/v1/tokens, POST /api/v1/tokens (201), DELETE /api/v1/tokens/{id} (the token, marked revoked).
export const listApiTokensContract = { response: wholeListResult(apiTokenDto) };
export const createApiTokenContract = { body: createApiTokenInput, response: createdApiToken, created: true } as const;
export const revokeApiTokenContract = { params: z.object({ id: z.uuid("Not a token id.") }), response: apiTokenDto };
