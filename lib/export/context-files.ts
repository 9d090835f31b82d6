import type { CaseEvidence } from "./collect-case-evidence";
import { governanceChecksCsv, governanceChecksJson } from "./governance-evidence";
import type { PackageContext } from "./package-context";
import { batchesJson, quarantinedIds, quarantinedLines } from "./provenance";
import { analysisJson, scopeJson } from "./scope-statement";

// The package's context files (governance, provenance, scope, logic version), written after the raw records and
// proofs: see package-context.ts for what they hold and docs/evidence-package.md for their format.

type Add = (name: string, source: Buffer | AsyncIterable<Buffer | string>, level?: number) => Promise<void>;

export async function writeContextFiles(
  add: Add,
  {
    ev,
    context,
    inclusionRule,
    purgedRawRecords,
  }: { ev: CaseEvidence; context: PackageContext; inclusionRule: string; purgedRawRecords: number },
): Promise<{ governanceChecks: number; quarantinedRecords: number }> {
  const { governance, batches } = context;
  await add("governance/checks.json", governanceChecksJson(governance));
  await add("governance/checks.csv", governanceChecksCsv(governance));
  await add("provenance/batches.json", batchesJson(batches));
  const [quarantined, facts] = await Promise.all([quarantinedIds(batches.map((b) => b.batchId)), context.facts]);
  if (quarantined.length) await add("provenance/quarantined.ndjson", quarantinedLines(quarantined));
  await add(
    "scope.json",
    scopeJson({
      ev,
      facts,
      governance,
      inclusionRule,
      purgedRawRecords,
      quarantinedRecords: quarantined.length,
      legacyCsvHeaders: batches.filter((b) => b.csvHeader && !b.csvHeader.inLedger).length,
    }),
  );
  await add("analysis.json", analysisJson(facts, ev));
  return { governanceChecks: governance.checks.length, quarantinedRecords: quarantined.length };
}
