import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { API_ACCESS, type ApiKey } from "@/lib/auth/routes";
import { CONTRACTS, contractOf, NO_CONTRACT } from "./contracts";

// The registry is what the route wrapper parses by, what the client's fetchers parse answers with and what the
// OpenAPI description is generated from: it must name real routes and cover every one of them.
describe("route contracts", () => {
  const keys = Object.keys(API_ACCESS) as ApiKey[];

  it("are registered for known route keys only", () => {
    for (const key of Object.keys(CONTRACTS)) expect(keys, key).toContain(key);
  });

  it("cover every route of the route table, but next-auth's own", () => {
    const missing = keys.filter((k) => !(k in CONTRACTS) && !(NO_CONTRACT as readonly string[]).includes(k));
    expect(missing, "routes without a contract: add one in lib/<area>/<verb>-<noun>.types.ts and register it").toEqual([]);
    for (const k of NO_CONTRACT) {
      expect(keys).toContain(k);
      expect(k in CONTRACTS, k).toBe(false);
    }
  });

  it("declare what every route answers: a JSON schema, or the content types of a file", () => {
    for (const [key, c] of Object.entries(CONTRACTS)) {
      expect("response" in c || "download" in c, key).toBe(true);
      if ("download" in c) for (const type of c.download) expect(type, key).toMatch(/^[a-z]+\/[a-z0-9.+-]+$/);
    }
  });

  it("declare a params schema for every route with a path parameter, naming each parameter", () => {
    const dynamic = keys.filter((k) => k.includes("[") && !k.includes("/api/auth/"));
    expect(dynamic.length).toBeGreaterThan(10);
    for (const key of dynamic) {
      const params = contractOf(key).params;
      expect(params, key).toBeDefined();
      const names = [...key.matchAll(/\[(\w+)\]/g)].map((m) => m[1]);
      const shape = (params as unknown as { shape: Record<string, unknown> }).shape;
      expect(Object.keys(shape).sort(), key).toEqual(names.sort());
    }
  });

  it("take no body on a GET, and answer 201 only to a POST", () => {
    for (const [key, c] of Object.entries(CONTRACTS)) {
      // A DELETE may carry one (scoping a control back in takes a reason).
      if ("body" in c || "rawBody" in c) expect(key, key).toMatch(/^(POST|PUT|PATCH|DELETE) /);
      if ("created" in c) expect(key, key).toMatch(/^POST /);
    }
  });
});

// The .types.ts files are imported by client components (components/api): nothing they import, directly or
// through the modules they import, may reach the database or Node's own modules. Type-only imports are erased
// and do not count. Walks the real files, so a new import anywhere down the chain is caught.
describe("contract files stay importable from client components", () => {
  const ROOT = path.resolve(import.meta.dirname, "../..");
  // zod, and a word list (data only: the common passwords the user schemas refuse).
  const ALLOWED_PACKAGES = new Set(["zod", "@zxcvbn-ts/language-common"]);
  const typesFiles = (fs.readdirSync(path.join(ROOT, "lib"), { recursive: true }) as string[])
    .filter((f) => f.endsWith(".types.ts"))
    .map((f) => path.join(ROOT, "lib", f));

  function resolve(from: string, spec: string): string | null {
    const base = spec.startsWith("@/")
      ? path.join(ROOT, spec.slice(2))
      : spec.startsWith(".")
        ? path.resolve(path.dirname(from), spec)
        : null;
    if (!base) return null;
    return [".ts", ".tsx", "/index.ts", ""].map((ext) => base + ext).find((f) => fs.existsSync(f) && fs.statSync(f).isFile()) ?? null;
  }

  /** The modules a file loads at run time (type-only imports and exports are erased). */
  function valueImports(file: string): string[] {
    const text = fs.readFileSync(file, "utf8");
    const specs: string[] = [];
    for (const m of text.matchAll(/^(?:import|export)\s+(type\s+)?([\w$*{},\s]+?)\s+from\s+["']([^"']+)["']/gm)) {
      const braces = /^\{([^}]*)\}$/.exec(m[2].trim());
      const names = braces
        ? braces[1]
            .split(",")
            .map((n) => n.trim())
            .filter(Boolean)
        : [];
      const typeOnly = Boolean(m[1]) || (names.length > 0 && names.every((n) => n.startsWith("type ")));
      if (!typeOnly) specs.push(m[3]);
    }
    for (const m of text.matchAll(/^import\s+["']([^"']+)["']/gm)) specs.push(m[1]);
    return specs;
  }

  /** The first chain of imports from `file` to something a browser bundle cannot hold, or null. */
  function serverChain(file: string, seen = new Set<string>()): string[] | null {
    if (seen.has(file)) return null;
    seen.add(file);
    for (const spec of valueImports(file)) {
      const target = resolve(file, spec);
      if (!target) {
        if (spec.startsWith("@/") || spec.startsWith(".")) return [spec, "(not found)"];
        const pkg = spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0];
        if (!ALLOWED_PACKAGES.has(pkg)) return [spec];
        continue;
      }
      const rel = path.relative(ROOT, target);
      if (/^lib\/(db|generated)(\/|\.ts$)/.test(rel)) return [rel];
      if (target.endsWith(".json")) continue;
      const deeper = serverChain(target, seen);
      if (deeper) return [rel, ...deeper];
    }
    return null;
  }

  it("finds the contract files", () => {
    expect(typesFiles.length).toBeGreaterThan(40);
  });

  // Known exceptions, each with why; no client component imports them. Fixing one means removing it here.
  const EXCEPTIONS: Record<string, string> = {
    "lib/governance/set-governance-settings.types.ts":
      "its schema is lib/governance/settings.ts's, which checks platform names against the source registry and reads the setting",
  };

  it("import nothing that reaches the database, Prisma, pg, node: modules or another server package", () => {
    const offenders = typesFiles.map((f) => ({ file: path.relative(ROOT, f), chain: serverChain(f) })).filter((o) => o.chain !== null);
    expect(offenders.filter((o) => !(o.file in EXCEPTIONS)).map((o) => `${o.file} -> ${o.chain!.join(" -> ")}`)).toEqual([]);
    expect(offenders.map((o) => o.file).sort(), "an exception that no longer reaches the server").toEqual(Object.keys(EXCEPTIONS).sort());
  });

  it("would notice a server import down the chain", () => {
    // The walker itself: a lib function module (reaches lib/db) is refused, a schema-only module passes.
    expect(serverChain(path.join(ROOT, "lib/cases/create-case.ts"))).not.toBeNull();
    expect(serverChain(path.join(ROOT, "lib/cases/types.ts"))).toBeNull();
  });
});
