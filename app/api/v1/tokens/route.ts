import { userRoute, readJson } from "@/lib/api/handler";
import { createApiToken, listApiTokens } from "@/lib/tokens/api-tokens";
import { supportedPlatformIds } from "@/lib/sources/registry";

// GET /api/v1/tokens - list push API tokens (never the secrets)
export const GET = userRoute("GET /api/v1/tokens", async () => listApiTokens());

// POST /api/v1/tokens - create a push token scoped to one source; the secret is in this response only
export const POST = userRoute("POST /api/v1/tokens", async ({ req, ctx }) => {
  const created = await createApiToken({
    input: (await readJson(req)) as never,
    ctx,
    knownPlatforms: supportedPlatformIds(),
  });
  return Response.json(created, { status: 201, headers: { "Cache-Control": "no-store" } });
});
