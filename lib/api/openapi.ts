import { z } from "zod";
import pkg from "@/package.json";
import { PERMISSIONS, type Permission } from "@/lib/auth/permissions";
import { API_ACCESS, type Access, type ApiKey } from "@/lib/auth/routes";
import { ERROR_STATUS } from "@/lib/errors";
import { contractOf, NO_CONTRACT, type RouteContract } from "./contracts";
import type { OpenApiDocument } from "./openapi.types";

// The OpenAPI 3.1 description of the API, generated from what the code enforces: the route table
// (lib/auth/routes.ts: who may call) and the route contracts (lib/api/contracts.ts: what each route accepts and
// answers), through zod's own JSON Schema output (z.toJSONSchema, draft 2020-12, the dialect of OpenAPI 3.1).
// Served at GET /api/v1/openapi.json and written by `npm run cli -- openapi`.

export type JsonSchema = Record<string, unknown>;
type Operation = Record<string, unknown> & { operationId: string; responses: Record<string, unknown> };

/** A schema as JSON Schema: requests as the client sends them (io "input"), answers as the server sends them. */
export function toJsonSchema(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const out = z.toJSONSchema(schema, {
    target: "draft-2020-12",
    io,
    // A transform's result cannot be described; what goes in can (a query parameter is text either way).
    unrepresentable: "any",
    override: (ctx) => {
      const def = ctx.zodSchema._zod.def;
      // Dates travel as ISO 8601 text.
      if (def.type === "date") Object.assign(ctx.jsonSchema, { type: "string", format: "date-time" });
      // An answer may gain fields as the API grows: clients keep what they know (zod strips the rest), so answers
      // are not described as closed unless their schema says so (a catchall).
      if (
        io === "output" &&
        def.type === "object" &&
        !("catchall" in def && def.catchall) &&
        ctx.jsonSchema.additionalProperties === false
      ) {
        delete ctx.jsonSchema.additionalProperties;
      }
    },
  }) as JsonSchema;
  delete out.$schema;
  return out;
}

/** "/api/v1/cases/[id]" -> "/api/v1/cases/{id}" */
export function openApiPath(routePath: string): string {
  return routePath.replace(/\[(\w+)\]/g, "{$1}");
}

/** "GET /api/v1/cases/[id]/timeline" -> "getCasesIdTimeline" */
function operationId(method: string, routePath: string): string {
  const words = routePath
    .replace(/^\/api\/v1\//, "")
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
  return method.toLowerCase() + words.map((w) => w[0].toUpperCase() + w.slice(1)).join("");
}

function parameters(where: "path" | "query" | "header", schema: z.ZodType | undefined): Record<string, unknown>[] {
  if (!schema) return [];
  const js = toJsonSchema(schema, "input");
  const props = (js.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((js.required ?? []) as string[]);
  return Object.entries(props).map(([name, s]) => ({
    name,
    in: where,
    required: where === "path" || required.has(name),
    ...(typeof s.description === "string" ? { description: s.description } : {}),
    schema: s,
  }));
}

function whoMayCall(access: Access): { security: Record<string, string[]>[]; text: string } {
  if (access === "public") return { security: [], text: "Public: no sign-in." };
  if (access === "token") return { security: [{ pushToken: [] }], text: "A push API token of the source (Authorization: Bearer)." };
  const roles = PERMISSIONS[access as Permission].join(", ");
  return { security: [{ session: [] }], text: `A signed-in user whose role holds ${access} (${roles}).` };
}

const errorRef = { $ref: "#/components/schemas/Error" };
const errorResponse = (description: string) => ({ description, content: { "application/json": { schema: errorRef } } });

function operation(key: ApiKey, contract: RouteContract): Operation {
  const [method, routePath] = key.split(" ");
  const access = API_ACCESS[key];
  const who = whoMayCall(access);
  const op: Operation = {
    operationId: operationId(method, routePath),
    tags: [routePath.split("/")[3]],
    description: who.text,
    security: who.security,
    responses: {},
  };
  if (typeof access === "string" && access !== "public" && access !== "token") op["x-permission"] = access;
  const params = [
    ...parameters("path", contract.params),
    ...parameters("query", contract.query),
    ...parameters("header", contract.headers),
  ];
  if (params.length > 0) op.parameters = params;
  if (contract.body) op.requestBody = { required: true, content: { "application/json": { schema: toJsonSchema(contract.body, "input") } } };
  else if (contract.rawBody) {
    op.requestBody = {
      required: true,
      description: "The file itself, streamed (not JSON-wrapped).",
      content: Object.fromEntries(contract.rawBody.map((type) => [type, { schema: { type: "string", contentMediaType: type } }])),
    };
  }

  const content: Record<string, unknown> = {};
  if (contract.response) content["application/json"] = { schema: toJsonSchema(contract.response, "output") };
  for (const type of contract.download ?? []) content[type] = { schema: { type: "string", contentMediaType: type } };
  const ok = contract.created ? "201" : "200";
  op.responses[ok] = { description: contract.created ? "Created" : contract.download && !contract.response ? "The file" : "OK", content };
  if (contract.params || contract.query || contract.body || contract.headers)
    op.responses["422"] = errorResponse("Invalid input: see error.fields.");
  if (contract.body) op.responses["400"] = errorResponse("The body is not JSON.");
  if (access !== "public") op.responses["401"] = errorResponse(access === "token" ? "No valid push token." : "Not signed in.");
  if (access !== "public" && access !== "token") op.responses["403"] = errorResponse("The role does not allow this.");
  op.responses.default = errorResponse("Any other refusal or failure (404, 409, 429, 500), as error.code says.");
  return op;
}

let cached: OpenApiDocument | null = null;

/** The document, built once per process (the contracts do not change while it runs). */
export function openApiDocument(): OpenApiDocument {
  if (cached) return cached;
  const paths: Record<string, Record<string, Operation>> = {};
  for (const key of Object.keys(API_ACCESS) as ApiKey[]) {
    if ((NO_CONTRACT as readonly string[]).includes(key)) continue;
    const [method, routePath] = key.split(" ");
    (paths[openApiPath(routePath)] ??= {})[method.toLowerCase()] = operation(key, contractOf(key));
  }
  cached = {
    openapi: "3.1.0",
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    info: {
      title: "Sessionproof API",
      version: pkg.version,
      description:
        "Generated from the route contracts (lib/api/contracts.ts) and the route table (lib/auth/routes.ts). Errors are " +
        "JSON {error:{code,message,fields}}; every answer is sent with Cache-Control: no-store.",
    },
    paths,
    components: {
      schemas: {
        Error: {
          type: "object",
          properties: {
            error: {
              type: "object",
              properties: {
                code: { type: "string", enum: Object.keys(ERROR_STATUS) },
                message: { type: "string" },
                fields: { type: "object", additionalProperties: { type: "array", items: { type: "string" } } },
              },
              required: ["code", "message"],
            },
          },
          required: ["error"],
        },
      },
      securitySchemes: {
        session: {
          type: "apiKey",
          in: "cookie",
          name: "next-auth.session-token",
          description: "The session cookie of a signed-in user (__Secure-next-auth.session-token over HTTPS).",
        },
        pushToken: { type: "http", scheme: "bearer", description: "A per-source push API token (Settings, API tokens)." },
      },
    },
  };
  return cached;
}
