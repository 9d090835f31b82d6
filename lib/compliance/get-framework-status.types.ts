import { z } from "zod";
import { CONTROL_STATUSES } from "./control-status";
import { complianceThresholds } from "./thresholds.types";
import { controlScoping } from "./scope-control.types";
import { auditPeriodQuery } from "./audit-period.types";
import { catalogControl, catalogMeta, controlPlace, EVIDENCE_KINDS, FRAMEWORKS } from "./types";

// The framework id is checked against the catalogs by requireFramework (a 404 names the known ones).
export const frameworkParams = z.object({ framework: z.string() });

const count = z.number().int().min(0);

/** A measured population against its threshold (lib/compliance/measure-evidence.ts Population). */
const population = z.object({
  numerator: count,
  denominator: count,
  unit: z.string(),
  thresholdPct: z.number(),
  min: count,
});

const evidenceItem = z.object({
  kind: z.enum(EVIDENCE_KINDS),
  source: z.string(),
  label: z.string(),
  reason: z.string(),
  /** The control statuses but not_applicable (lib/compliance/control-status.ts EvidenceStatus). */
  status: z.enum(["sufficient", "partial", "gap", "no_data"]),
  population: population.nullable(),
  value: z.string(),
  openFindings: count,
  exceptions: count,
});

const controlStatusRow = catalogControl
  .omit({ examples: true })
  .extend(controlPlace.shape)
  .extend({
    status: z.enum(CONTROL_STATUSES),
    openFindings: count,
    evidence: z.array(evidenceItem),
    scoping: controlScoping.nullable(),
  });

/**
 * GET /api/v1/compliance/{framework}: per control its evidence items with their reasons and the resulting status.
 * The route's handler returns lib/compliance/get-framework-status.ts FrameworkStatus, so tsc checks that type
 * against this schema (lib/api/handler.ts RouteReply), and test/route-answers.db.test.ts the answers.
 */
export const frameworkStatus = z.object({
  framework: z.enum(FRAMEWORKS),
  meta: catalogMeta,
  generatedAt: z.string(),
  /** The audit period the populations were taken over (ISO; null = open at that end), and in words. */
  period: z.object({ from: z.string().nullable(), toExclusive: z.string().nullable(), label: z.string() }),
  /** What the figures cover, for report headers. */
  scope: z.object({ events: count, firstEventTime: z.string().nullable(), lastEventTime: z.string().nullable(), platforms: count }),
  thresholds: complianceThresholds,
  summary: z.object({ sufficient: count, partial: count, gap: count, no_data: count, not_applicable: count, total: count }),
  controls: z.array(controlStatusRow),
});

// GET /api/v1/compliance/{framework}?from=YYYY-MM-DD&to=YYYY-MM-DD
export const getFrameworkStatusContract = { params: frameworkParams, query: auditPeriodQuery, response: frameworkStatus };
