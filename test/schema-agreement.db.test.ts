import { beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import pg from "pg";
import { getDMMF } from "@prisma/internals";
import { listMigrations } from "../lib/db/migrate";
import { ownerUrl } from "./owner-db";

// The migrations (applied to this file's database by test/setup-db.ts) and prisma/schema.prisma must describe
// the same database: every model and field exists with its type and nullability, every enum with its values,
// every unique and plain index with its columns, and the database holds no table or column the schema lacks.
const SCALAR_TO_PG: Record<string, string> = {
  String: "text",
  Int: "integer",
  BigInt: "bigint",
  Float: "double precision",
  Boolean: "boolean",
  DateTime: "timestamp",
  Json: "jsonb",
  Bytes: "bytea",
};

type Column = { table_name: string; column_name: string; data_type: string; udt_name: string; is_nullable: string };
type Dmmf = Awaited<ReturnType<typeof getDMMF>>;

let dmmf: Dmmf;
beforeAll(async () => {
  dmmf = await getDMMF({ datamodel: fs.readFileSync("prisma/schema.prisma", "utf8") });
});

async function query<T extends pg.QueryResultRow>(sql: string): Promise<T[]> {
  // As the owner: the app's role sees only the tables it was granted in information_schema.
  const c = new pg.Client({ connectionString: ownerUrl() });
  await c.connect();
  try {
    return (await c.query<T>(sql)).rows;
  } finally {
    await c.end();
  }
}

function expectedType(field: { type: string; kind: string; nativeType?: unknown }): string {
  const native = field.nativeType as [string, string[]] | null | undefined;
  if (native?.[0] === "Uuid") return "uuid";
  if (native?.[0] === "Timestamptz") return "timestamptz";
  if (native?.[0] === "Json") return "json";
  if (field.kind === "enum") return field.type;
  return SCALAR_TO_PG[field.type];
}

function actualType(col: Column): string {
  if (col.data_type === "USER-DEFINED") return col.udt_name;
  if (col.data_type === "ARRAY") return col.udt_name.replace(/^_/, "");
  if (col.data_type === "timestamp with time zone") return "timestamptz";
  if (col.data_type === "timestamp without time zone") return "timestamp";
  if (col.data_type === "uuid") return "uuid";
  return col.data_type;
}

const PG_ARRAY_ELEMENT: Record<string, string> = { text: "text", int4: "integer", int8: "bigint" };

async function schemaProblems(): Promise<{ problems: string[]; checked: number }> {
  const rows = await query<Column>(
    "SELECT table_name, column_name, data_type, udt_name, is_nullable FROM information_schema.columns WHERE table_schema = 'public'",
  );
  const cols = new Map(rows.map((r) => [`${r.table_name}.${r.column_name}`, r]));
  const problems: string[] = [];
  const known = new Set<string>();
  let checked = 0;
  for (const model of dmmf.datamodel.models) {
    const table = model.dbName ?? model.name;
    for (const field of model.fields) {
      if (field.kind === "object") continue;
      const column = field.dbName ?? field.name;
      known.add(`${table}.${column}`);
      checked++;
      const col = cols.get(`${table}.${column}`);
      if (!col) {
        problems.push(`${model.name}.${field.name}: column ${table}.${column} is missing`);
        continue;
      }
      const want = expectedType(field);
      let got = actualType(col);
      if (field.isList) {
        if (col.data_type !== "ARRAY") problems.push(`${model.name}.${field.name}: expected an array column`);
        got = PG_ARRAY_ELEMENT[got] ?? got;
      }
      if (got !== want) problems.push(`${model.name}.${field.name}: type ${got}, schema says ${want}`);
      const nullable = col.is_nullable === "YES";
      if (!field.isList && nullable === field.isRequired) {
        problems.push(`${model.name}.${field.name}: nullable=${nullable} but schema says required=${field.isRequired}`);
      }
    }
  }
  for (const key of cols.keys()) {
    if (!key.startsWith("_prisma_migrations.") && !known.has(key)) problems.push(`column ${key} is not in schema.prisma`);
  }
  return { problems, checked };
}

describe("migrations agree with schema.prisma", () => {
  it("has every model and field with its type and nullability, and nothing else", async () => {
    const { problems, checked } = await schemaProblems();
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThan(200);
  });

  it("has every enum with exactly its values", async () => {
    const rows = await query<{ typname: string; labels: string[] }>(
      `SELECT t.typname, array_agg(e.enumlabel ORDER BY e.enumsortorder)::text[] AS labels
       FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname`,
    );
    const actual = Object.fromEntries(rows.map((r) => [r.typname, r.labels]));
    const expected = Object.fromEntries(dmmf.datamodel.enums.map((e) => [e.dbName ?? e.name, e.values.map((v) => v.name)]));
    expect(actual).toEqual(expected);
  });

  it("has every unique constraint and index with its columns", async () => {
    const rows = await query<{ table: string; unique: boolean; primary: boolean; cols: string[] }>(
      `SELECT c.relname AS table, i.indisunique AS unique, i.indisprimary AS primary,
              array_agg(a.attname ORDER BY k.ord)::text[] AS cols
       FROM pg_index i
       JOIN pg_class c ON c.oid = i.indrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
       CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
       GROUP BY c.relname, i.indexrelid, i.indisunique, i.indisprimary`,
    );
    const actual = new Set(rows.map((r) => `${r.table}|${r.primary ? "pk" : r.unique ? "unique" : "index"}|${r.cols.join(",")}`));
    const expected: string[] = [];
    for (const model of dmmf.datamodel.models) {
      const table = model.dbName ?? model.name;
      const col = (name: string) => model.fields.find((f) => f.name === name)?.dbName ?? name;
      const idField = model.fields.find((f) => f.isId);
      if (idField) expected.push(`${table}|pk|${col(idField.name)}`);
      if (model.primaryKey) expected.push(`${table}|pk|${model.primaryKey.fields.map(col).join(",")}`);
      for (const f of model.fields.filter((f) => f.isUnique)) expected.push(`${table}|unique|${col(f.name)}`);
      for (const u of model.uniqueFields) expected.push(`${table}|unique|${u.map(col).join(",")}`);
    }
    for (const idx of dmmf.datamodel.indexes) {
      if (idx.type !== "normal") continue;
      const model = dmmf.datamodel.models.find((m) => m.name === idx.model)!;
      expected.push(
        `${model.dbName ?? model.name}|index|${idx.fields.map((f) => model.fields.find((x) => x.name === f.name)?.dbName ?? f.name).join(",")}`,
      );
    }
    const missing = expected.filter((e) => !actual.has(e));
    expect(missing).toEqual([]);
    expect(expected.length).toBeGreaterThan(60);
  });

  it("notices drift: a column the schema lacks, and a column that is gone", async () => {
    const c = new pg.Client({ connectionString: ownerUrl() });
    await c.connect();
    await c.query(`ALTER TABLE "setting" ADD COLUMN "stray" TEXT`);
    await c.query(`ALTER TABLE "job" DROP COLUMN "message"`);
    await c.end();
    const { problems } = await schemaProblems();
    expect(problems).toContain("column setting.stray is not in schema.prisma");
    expect(problems).toContain("Job.message: column job.message is missing");
  });

  it("keeps the migrations in Prisma's layout, in order", () => {
    const names = listMigrations().map((m) => m.name);
    expect(names.length).toBeGreaterThan(0);
    expect(names).toEqual([...names].sort());
    for (const n of names) expect(n).toMatch(/^\d{14}_[a-z0-9_]+$/);
    expect(fs.readFileSync("prisma/migrations/migration_lock.toml", "utf8")).toContain('provider = "postgresql"');
  });
});
