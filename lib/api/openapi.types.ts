import { z } from "zod";

/** The OpenAPI 3.1 document of this API (lib/api/openapi.ts), as far as its clients rely on it. */
export const openApiDocument = z.looseObject({
  openapi: z.literal("3.1.0"),
  info: z.looseObject({ title: z.string(), version: z.string() }),
  paths: z.record(
    z.string(),
    z.record(z.string(), z.looseObject({ operationId: z.string(), responses: z.record(z.string(), z.unknown()) })),
  ),
  components: z.looseObject({ schemas: z.record(z.string(), z.unknown()), securitySchemes: z.record(z.string(), z.unknown()) }),
});
export type OpenApiDocument = z.infer<typeof openApiDocument>;

// GET /api/v1/openapi.json: the description of every route, built from the route contracts and the route table.
export const openApiContract = { response: openApiDocument };
