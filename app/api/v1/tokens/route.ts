import { userRoute } from "@/lib/api/handler";
import { created, wholeList } from "@/lib/api/responses";
import { createApiToken, listApiTokens } from "@/lib/tokens/api-tokens";
import { supportedPlatformIds } from "@/lib/sources/registry";

// GET /api/v1/tokens - list push API tokens (never the secrets)
export const GET = userRoute("GET /api/v1/tokens", async () => wholeList(await listApiTokens()));

// POST /api/v1/tokens - create a push token scoped to one source; the secret is in this response only
export const POST = userRoute("POST /api/v1/tokens", async ({ ctx, body }) => {
  const result = await createApiToken({ ctx, input: body, knownPlatforms: supportedPlatformIds() });
  return created(result);
});
