// Prisma's own schema engine, in its WebAssembly build, driven through the pg driver adapter. The native
// engine that Prisma's CLI downloads cannot be fetched on this machine (DESIGN §5), but the wasm engine ships
// in an npm package (@prisma/schema-engine-wasm, via @prisma/internals) and computes the same diffs. Used by
// `npm run db:diff` to write a new migration from the change between two versions of schema.prisma. (The
// engine's database introspection does not work through the adapter here, so it only diffs schema texts.)
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";

const require = createRequire(import.meta.url);

type DiffTarget = { tag: "empty" } | { tag: "schemaDatamodel"; files: { path: string; content: string }[] };
type Engine = {
  diff(p: { from: DiffTarget; to: DiffTarget; script: boolean; exitCode: boolean | null; filters: unknown }): Promise<{
    exitCode: number;
    stdout: string | null;
  }>;
};

type Runtime = { SchemaEngine: { new: (...args: unknown[]) => Promise<Engine> } };
let runtimePromise: Promise<Runtime> | undefined;

// The wasm module keeps global state: instantiate it once per process.
function loadRuntime(): Promise<Runtime> {
  runtimePromise ??= (async () => {
    const bgJs = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const runtime = await import(pathToFileURL(bgJs).href);
    const wasm = new WebAssembly.Module(fs.readFileSync(path.join(path.dirname(bgJs), "schema_engine_bg.wasm")));
    const instance = new WebAssembly.Instance(wasm, { "./schema_engine_bg.js": runtime });
    runtime.__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start: () => void }).__wbindgen_start();
    return runtime as Runtime;
  })();
  return runtimePromise;
}

async function loadEngine(datamodel: string, connectionString: string): Promise<Engine> {
  const runtime = await loadRuntime();
  const adapter = bindMigrationAwareSqlAdapterFactory(new PrismaPg({ connectionString }));
  return runtime.SchemaEngine.new({ datamodels: [["schema.prisma", datamodel]] }, () => undefined, adapter);
}

export function schemaTarget(content: string): DiffTarget {
  return { tag: "schemaDatamodel", files: [{ path: "schema.prisma", content }] };
}

/** The SQL that turns `from` into `to` ("" when they agree); the engine wants a reachable server at `connectionString`. */
export async function diffSql(from: DiffTarget, to: DiffTarget, connectionString: string): Promise<string> {
  const engine = await loadEngine(fs.readFileSync("prisma/schema.prisma", "utf8"), connectionString);
  const r = await engine.diff({ from, to, script: true, exitCode: null, filters: { externalTables: [], externalEnums: [] } });
  const sql = (r.stdout ?? "").trim();
  return sql === "-- This is an empty migration." ? "" : sql;
}
