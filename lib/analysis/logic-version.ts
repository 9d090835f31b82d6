import { createHash } from "node:crypto";
import pkg from "@/package.json";
import { EVIDENCE_MAP, FACT_MAPPINGS } from "@/lib/compliance/evidence-map";
import { PRIVILEGED_CATALOG } from "@/lib/governance/privileged-actions";
import { RISK_RULES } from "@/lib/risk/catalog";

// The version of the logic that produced a verdict: the app's version plus a hash of the catalogs the verdicts
// are computed from (risk rules and their framework mappings, the control evidence map, the privileged-action
// catalog of every platform). The governance settings (lib/governance/settings.ts) are data, not logic: a run over
// other settings can give other verdicts with the same logic version. Two runs with the same logic version over the same events give the same verdicts, so a report can
// be reproduced; a changed rule changes the hash even when nobody bumped the version.

export type LogicVersion = { appVersion: string; logicHash: string; label: string };

/** JSON with regular expressions written as their source and flags (JSON.stringify writes {} for them). */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (v instanceof RegExp ? `/${v.source}/${v.flags}` : v));
}

/** The hash of the given catalogs: sha256 over their canonical JSON, hex. */
export function catalogHash(catalogs: Record<string, unknown>): string {
  return createHash("sha256").update(canonical(catalogs)).digest("hex");
}

let cached: LogicVersion | null = null;

export function logicVersion(): LogicVersion {
  if (cached) return cached;
  const logicHash = catalogHash({
    riskRules: RISK_RULES,
    evidenceMap: EVIDENCE_MAP,
    factMappings: FACT_MAPPINGS,
    privilegedActions: PRIVILEGED_CATALOG,
  });
  cached = { appVersion: pkg.version, logicHash, label: `${pkg.version}+${logicHash.slice(0, 12)}` };
  return cached;
}
