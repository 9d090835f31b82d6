import path from "node:path";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

// The layer rule of eslint.config.mjs fires: lint a line of code as if it lived at a given path.
const eslint = new ESLint({ cwd: path.resolve(import.meta.dirname, "..") });
const RULES = new Set(["no-restricted-imports", "sessionproof/client-boundary"]);

async function boundaryErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${code}\nexport {};\n`, { filePath });
  return result.messages.filter((m) => m.ruleId && RULES.has(m.ruleId)).map((m) => m.message);
}

describe("layer boundaries (eslint.config.mjs)", () => {
  it("refuses an import of a higher layer, by alias or relative path", async () => {
    expect(await boundaryErrors("lib/sources/x.ts", 'import { correlate } from "@/lib/correlation/correlate";')).toEqual([
      expect.stringContaining("lib/sources, lib/events must not import a higher layer"),
    ]);
    expect(await boundaryErrors("lib/correlation/x.ts", 'import { runRiskRules } from "../risk/run-risk-rules";')).toHaveLength(1);
    expect(
      await boundaryErrors("lib/ingest/x.ts", 'import { runGovernanceChecks } from "@/lib/governance/run-governance-checks";'),
    ).toHaveLength(1);
    expect(await boundaryErrors("lib/cases/x.ts", 'import { runCli } from "@/lib/cli/run-cli";')).toHaveLength(1);
  }, 60_000);

  it("allows the same and lower layers, infrastructure, and anything from tests and entry points", async () => {
    expect(
      await boundaryErrors("lib/ingest/x.ts", 'import { getSource } from "@/lib/sources/registry";\nimport { db } from "@/lib/db";'),
    ).toEqual([]);
    expect(await boundaryErrors("lib/compliance/x.ts", 'import { RISK_RULES } from "@/lib/risk/catalog";')).toEqual([]);
    expect(await boundaryErrors("lib/correlation/x.test.ts", 'import { runRiskRules } from "@/lib/risk/run-risk-rules";')).toEqual([]);
    expect(await boundaryErrors("lib/cli/x.ts", 'import { exportCase } from "@/lib/export/export-case";')).toEqual([]);
  });

  it("keeps infrastructure below the analyses", async () => {
    expect(await boundaryErrors("lib/audit/x.ts", 'import { appendRawRecords } from "@/lib/ledger/append-raw-records";')).toEqual([]);
    expect(await boundaryErrors("lib/audit/x.ts", 'import { getSession } from "@/lib/sessions/get-session";')).toHaveLength(1);
  });

  it("keeps lib/ out of app/ and components/, and the database out of the UI", async () => {
    expect(await boundaryErrors("lib/ledger/x.ts", 'import { Pager } from "@/components/pager";')).toHaveLength(1);
    expect(await boundaryErrors("components/x.tsx", 'import { db } from "@/lib/db";')).toHaveLength(1);
    expect(await boundaryErrors("app/(app)/x/page.tsx", 'import { pool } from "@/lib/db";')).toHaveLength(1);
  });

  it("refuses a value import that reaches the database in a client file, not a type import", async () => {
    const client = (line: string) => `"use client";\n${line}`;
    expect(await boundaryErrors("app/(app)/x/y.tsx", client('import { listBatches } from "@/lib/ingest/list-batches";'))).toEqual([
      expect.stringContaining("A client file must not import @/lib/ingest/list-batches"),
    ]);
    expect(await boundaryErrors("app/(app)/x/y.tsx", client('import type { BatchDto } from "@/lib/ingest/list-batches";'))).toEqual([]);
    expect(await boundaryErrors("components/y.tsx", client('import { can } from "@/lib/auth/permissions";'))).toEqual([]);
  });
});
