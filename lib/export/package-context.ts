import { pool } from "@/lib/db";
import type { CaseEvidence } from "./collect-case-evidence";
import { collectGovernanceEvidence, type GovernanceEvidence } from "./governance-evidence";
import { loadBatchProvenance, type BatchProvenance } from "./provenance";
import { collectScopeFacts, eventScope, type ScopeFacts } from "./scope-statement";

// Everything a package needs besides the case's events to be read and judged: the governance records its privileged
// actions were matched with, the CSV header records of its rows' batches (both become raw records of the package,
// with proofs, like the events' own), the batches' provenance, the scope facts and the logic version. Gathered while
// the export is prepared, in a few set-based queries (none per record); the scope facts (an aggregate over the case's
// events and the coverage report) are left running and awaited only when scope.json is written.

export type PackageContext = {
  governance: GovernanceEvidence;
  batches: BatchProvenance[];
  /** Awaited when scope.json is written: the coverage report and the aggregate run while the records stream. */
  facts: Promise<ScopeFacts>;
  /** Raw records added to the case's: governance records and CSV header records not already in it. */
  added: { governance: number; csvHeaders: number };
};

/** Binary search in an ascending array. */
function sortedHas(xs: Float64Array, x: number): boolean {
  let lo = 0;
  let hi = xs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] === x) return true;
    if (xs[mid] < x) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

type RawRow = { id: string; leafIndex: string; size: number; batchId: string | null };

async function rawRows(ids: string[]): Promise<RawRow[]> {
  if (ids.length === 0) return [];
  return (
    await pool().query<RawRow>(
      `SELECT id::text, "leafIndex"::text AS "leafIndex", COALESCE(octet_length(payload), 0) AS size, "batchId"::text AS "batchId"
         FROM raw_record WHERE id = ANY($1::bigint[])`,
      [ids],
    )
  ).rows;
}

/** The evidence with the extra raw records merged in leaf order (both lists are sorted by leaf). */
function withRecords(ev: CaseEvidence, extra: RawRow[]): CaseEvidence {
  if (extra.length === 0) return ev;
  const add = [...extra].sort((a, b) => Number(a.leafIndex) - Number(b.leafIndex));
  const n = ev.rawRecordIds.length + add.length;
  const rawRecordIds = new Float64Array(n);
  const leafIndices = new Float64Array(n);
  const payloadSizes = new Float64Array(n);
  for (let i = 0, j = 0, k = 0; k < n; k++) {
    if (j < add.length && (i >= ev.rawRecordIds.length || Number(add[j].leafIndex) < ev.leafIndices[i])) {
      rawRecordIds[k] = Number(add[j].id);
      leafIndices[k] = Number(add[j].leafIndex);
      payloadSizes[k] = add[j].size;
      j++;
    } else {
      rawRecordIds[k] = ev.rawRecordIds[i];
      leafIndices[k] = ev.leafIndices[i];
      payloadSizes[k] = ev.payloadSizes[i];
      i++;
    }
  }
  return { ...ev, rawRecordIds, leafIndices, payloadSizes };
}

export async function addPackageContext(ev: CaseEvidence): Promise<{ evidence: CaseEvidence; context: PackageContext }> {
  const scope = eventScope(ev);
  const facts = collectScopeFacts(scope);
  facts.catch(() => undefined); // awaited (and thrown) when scope.json is written
  const governance = await collectGovernanceEvidence({
    ...scope,
    privilegedEventIds: ev.privilegedEventIds,
    inCase: (id) => sortedHas(ev.eventIds, Number(id)),
  });
  const have = new Set<number>(ev.rawRecordIds);
  const governanceRaw = await rawRows(governance.rawRecordIds.filter((id) => !have.has(Number(id))));
  for (const r of governanceRaw) have.add(Number(r.id));

  // The batches of every record, then their header records; a header stored once for two files of a source belongs
  // to the first file's batch, which is then described too.
  const batchIds = new Set([...ev.batchIds, ...governanceRaw.map((r) => r.batchId).filter((b): b is string => !!b)]);
  const batches = await loadBatchProvenance([...batchIds]);
  const headerIds = [...new Set(batches.map((b) => b.csvHeader?.rawRecordId).filter((id): id is string => !!id && !have.has(Number(id))))];
  const headerRaw = await rawRows(headerIds);
  const more = [...new Set(headerRaw.map((r) => r.batchId).filter((b): b is string => !!b && !batchIds.has(b)))];
  if (more.length) batches.push(...(await loadBatchProvenance(more)));

  return {
    evidence: withRecords(ev, [...governanceRaw, ...headerRaw]),
    context: { governance, batches, facts, added: { governance: governanceRaw.length, csvHeaders: headerRaw.length } },
  };
}
