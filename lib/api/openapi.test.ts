import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { openapiCommands } from "@/lib/cli/commands/openapi";
import { system } from "@/lib/context/request-context";
import { PERMISSIONS } from "@/lib/auth/permissions";
import { API_ACCESS, type ApiKey } from "@/lib/auth/routes";
import { contractOf, NO_CONTRACT } from "./contracts";
import { openApiDocument, openApiPath, type JsonSchema } from "./openapi";
import { openApiContract } from "./openapi.types";

// The generated description against the registry it is generated from: every route, its inputs and answers as
// JSON Schema, and who may call it. No validator library is installed, so the schemas are checked by structure
// (draft 2020-12 keywords with the right kinds of values, every $ref resolving).

type Operation = {
  operationId: string;
  security: Record<string, string[]>[];
  parameters?: { name: string; in: string; required: boolean; schema: JsonSchema }[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, { content?: Record<string, { schema: JsonSchema }> }>;
  "x-permission"?: string;
};

const doc = openApiDocument();
const described = (Object.keys(API_ACCESS) as ApiKey[]).filter((k) => !(NO_CONTRACT as readonly string[]).includes(k));
const operationOf = (key: ApiKey): Operation => {
  const [method, routePath] = key.split(" ");
  return (doc.paths[openApiPath(routePath)] as Record<string, Operation> | undefined)?.[method.toLowerCase()] as Operation;
};

const TYPES = new Set(["string", "number", "integer", "boolean", "object", "array", "null"]);
const SCHEMA_LISTS = ["anyOf", "oneOf", "allOf", "prefixItems"];
const SCHEMA_VALUES = ["items", "not", "additionalProperties", "propertyNames", "contains", "if", "then", "else"];
const SCHEMA_MAPS = ["properties", "patternProperties", "$defs"];
const NUMBERS = [
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "minLength",
  "maxLength",
  "minItems",
  "maxItems",
  "multipleOf",
];

/** Problems with a JSON Schema (draft 2020-12) by structure; an empty list when it is well formed. */
function schemaProblems(s: unknown, where: string, out: string[] = []): string[] {
  if (typeof s === "boolean") return out;
  if (typeof s !== "object" || s === null || Array.isArray(s)) return [...out, `${where}: not a schema`];
  const o = s as Record<string, unknown>;
  if ("type" in o) {
    const types = Array.isArray(o.type) ? o.type : [o.type];
    if (types.length === 0 || !types.every((t) => typeof t === "string" && TYPES.has(t)))
      out.push(`${where}.type: ${JSON.stringify(o.type)}`);
  }
  for (const k of SCHEMA_LISTS) {
    if (!(k in o)) continue;
    if (!Array.isArray(o[k]) || (o[k] as unknown[]).length === 0) out.push(`${where}.${k}: not a non-empty list`);
    else (o[k] as unknown[]).forEach((x, i) => schemaProblems(x, `${where}.${k}[${i}]`, out));
  }
  for (const k of SCHEMA_VALUES) if (k in o) schemaProblems(o[k], `${where}.${k}`, out);
  for (const k of SCHEMA_MAPS) {
    if (!(k in o)) continue;
    if (typeof o[k] !== "object" || o[k] === null) out.push(`${where}.${k}: not an object`);
    else for (const [name, x] of Object.entries(o[k] as object)) schemaProblems(x, `${where}.${k}.${name}`, out);
  }
  if ("required" in o) {
    const req = o.required;
    if (!Array.isArray(req) || !req.every((r) => typeof r === "string")) out.push(`${where}.required: not a list of names`);
    else if (o.properties) for (const r of req) if (!(r in (o.properties as object))) out.push(`${where}.required: ${r} is not a property`);
  }
  if ("enum" in o && (!Array.isArray(o.enum) || o.enum.length === 0)) out.push(`${where}.enum: not a non-empty list`);
  for (const k of NUMBERS) if (k in o && typeof o[k] !== "number") out.push(`${where}.${k}: not a number`);
  if ("$ref" in o) {
    const ref = o.$ref;
    if (typeof ref !== "string" || !resolves(ref)) out.push(`${where}.$ref: ${String(ref)} does not resolve`);
  }
  return out;
}

function resolves(ref: string): boolean {
  if (!ref.startsWith("#/")) return false;
  let at: unknown = doc;
  for (const part of ref.slice(2).split("/")) {
    if (typeof at !== "object" || at === null || !(part in at)) return false;
    at = (at as Record<string, unknown>)[part];
  }
  return true;
}

describe("the OpenAPI document", () => {
  it("is an OpenAPI 3.1 document of plain JSON, as its own contract declares", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
    expect(openApiContract.response.safeParse(doc).success).toBe(true);
  });

  it("has an operation for every route of the route table (but next-auth's own), and nothing else", () => {
    for (const key of described) expect(operationOf(key), key).toBeDefined();
    const ops = Object.entries(doc.paths).flatMap(([p, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${p}`));
    expect(ops.sort()).toEqual(described.map((k) => `${k.split(" ")[0]} ${openApiPath(k.split(" ")[1])}`).sort());
    const ids = ops.map((o) => {
      const [m, p] = o.split(" ");
      return (doc.paths[p] as Record<string, Operation>)[m.toLowerCase()].operationId;
    });
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("says who may call each operation: public, a push token, or the session of a role with the route's permission", () => {
    for (const key of described) {
      const op = operationOf(key);
      const access = API_ACCESS[key];
      if (access === "public") expect(op.security, key).toEqual([]);
      else if (access === "token") expect(op.security, key).toEqual([{ pushToken: [] }]);
      else {
        expect(op.security, key).toEqual([{ session: [] }]);
        expect(op["x-permission"], key).toBe(access);
        expect(access in PERMISSIONS, key).toBe(true);
      }
      for (const req of op.security) for (const name of Object.keys(req)) expect(doc.components.securitySchemes, key).toHaveProperty(name);
    }
  });

  it("describes each route's parameters, body and answer exactly where its contract has them", () => {
    for (const key of described) {
      const op = operationOf(key);
      const c = contractOf(key);
      const routePath = key.split(" ")[1];
      const names = (where: string) => (op.parameters ?? []).filter((p) => p.in === where).map((p) => p.name);
      expect(names("path").sort(), key).toEqual([...routePath.matchAll(/\[(\w+)\]/g)].map((m) => m[1]).sort());
      for (const p of op.parameters ?? []) if (p.in === "path") expect(p.required, `${key} ${p.name}`).toBe(true);
      // A transformed object schema (z.object(...).transform(...)) is a pipe: its keys are those of its input.
      type Shaped = { shape?: object; in?: Shaped } | undefined;
      const shapeKeys = (s: unknown) => Object.keys((s as Shaped)?.shape ?? (s as Shaped)?.in?.shape ?? {}).sort();
      expect(names("query").sort(), key).toEqual(shapeKeys(c.query));
      expect(names("header").sort(), key).toEqual(shapeKeys(c.headers));

      const body = op.requestBody?.content;
      if (c.body) expect(Object.keys(body ?? {}), key).toEqual(["application/json"]);
      else if (c.rawBody) expect(Object.keys(body ?? {}), key).toEqual([...c.rawBody]);
      else expect(body, key).toBeUndefined();

      const ok = op.responses[c.created ? "201" : "200"];
      expect(ok, key).toBeDefined();
      expect(op.responses[c.created ? "200" : "201"], key).toBeUndefined();
      const types = Object.keys(ok.content ?? {});
      expect(types.sort(), key).toEqual([...(c.response ? ["application/json"] : []), ...(c.download ?? [])].sort());
      if (c.response) expect(ok.content!["application/json"].schema, key).not.toEqual({});
      expect(op.responses.default, key).toBeDefined();
    }
  });

  it("gives well-formed JSON Schemas (draft 2020-12) for every parameter, body and answer", () => {
    const problems: string[] = [];
    const schemas: [string, JsonSchema][] = [];
    for (const key of described) {
      const op = operationOf(key);
      for (const p of op.parameters ?? []) schemas.push([`${key} parameter ${p.name}`, p.schema]);
      for (const [type, m] of Object.entries(op.requestBody?.content ?? {})) schemas.push([`${key} body ${type}`, m.schema]);
      for (const [status, r] of Object.entries(op.responses))
        for (const [type, m] of Object.entries(r.content ?? {})) schemas.push([`${key} ${status} ${type}`, m.schema]);
    }
    for (const [where, s] of schemas) schemaProblems(s, where, problems);
    for (const [name, s] of Object.entries(doc.components.schemas)) schemaProblems(s, `components.schemas.${name}`, problems);
    expect(problems).toEqual([]);
    expect(schemas.length).toBeGreaterThan(150);
  });

  it("describes what the answers hold, not just that they are objects", () => {
    const answer = (key: ApiKey, status = "200") => operationOf(key).responses[status].content!["application/json"].schema;
    const sessions = answer("GET /api/v1/sessions") as { properties: Record<string, JsonSchema>; required: string[] };
    expect(sessions.required).toEqual(expect.arrayContaining(["items", "total", "offset", "limit"]));
    const item = (sessions.properties.items as { items: { properties: Record<string, JsonSchema> } }).items;
    expect(Object.keys(item.properties)).toEqual(expect.arrayContaining(["id", "platform", "identity", "riskScore"]));
    const created = answer("POST /api/v1/cases", "201") as { properties: Record<string, JsonSchema> };
    expect(created.properties.status).toMatchObject({ enum: ["open", "investigating", "pending_review", "closed"] });
    // A query parameter's own rules (an enum, a default) come from the schema the route parses with.
    const sort = operationOf("GET /api/v1/cases").parameters!.find((p) => p.name === "sort")!;
    expect(sort).toMatchObject({ in: "query", required: false, schema: { default: "updated" } });
    // Dates travel as ISO text.
    const from = operationOf("GET /api/v1/audit").parameters!.find((p) => p.name === "from")!;
    expect(from.schema).toMatchObject({ type: "string", format: "date-time" });
  });

  it("finds malformed schemas (the check itself)", () => {
    expect(schemaProblems({ type: "strnig" }, "x")).toHaveLength(1);
    expect(schemaProblems({ type: "object", properties: { a: { type: "string" } }, required: ["b"] }, "x")).toHaveLength(1);
    expect(schemaProblems({ anyOf: [] }, "x")).toHaveLength(1);
    expect(schemaProblems({ $ref: "#/components/schemas/Nope" }, "x")).toHaveLength(1);
    expect(schemaProblems({ type: "array", items: { type: "string", maxLength: "5" } }, "x")).toHaveLength(1);
    expect(schemaProblems({ $ref: "#/components/schemas/Error" }, "x")).toEqual([]);
  });
});

describe("npm run cli -- openapi", () => {
  it("prints the document, or writes it to --out", async () => {
    const [cmd] = openapiCommands;
    const out: string[] = [];
    const io = { out: (t: string) => out.push(t), err: (t: string) => out.push(t) };
    expect(await cmd.run([], io, system())).toBe(0);
    expect(JSON.parse(out.join(""))).toEqual(doc);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "openapi-")), "openapi.json");
    out.length = 0;
    expect(await cmd.run(["--out", file], io, system())).toBe(0);
    expect(JSON.parse(fs.readFileSync(file, "utf8"))).toEqual(doc);
    expect(out.join("")).toContain(`${described.length} operations`);
    await expect(cmd.run(["--nope"], io, system())).rejects.toThrow(/nope/);
    fs.rmSync(path.dirname(file), { recursive: true });
  });
});
