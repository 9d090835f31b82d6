import { z } from "zod";

// The shapes of the framework catalogs and of what the compliance routes answer, as zod schemas, free of server
// imports and of the catalogs' data (client components import this module; lib/compliance/catalogs.ts loads the
// data and parses it with these schemas).

/** The catalogs with their own evidence mappings, then the views through a crosswalk from CSF 2.0 (lib/compliance/crosswalk.ts). */
export const FRAMEWORKS = ["nist-csf-2.0", "owasp-nhi-2025", "nist-ai-rmf-1.0", "soc2-tsc-2017", "iso-27001-2022"] as const;
export type FrameworkSlug = (typeof FRAMEWORKS)[number];
export const frameworkSlug = z.enum(FRAMEWORKS, { message: `Unknown framework: use ${FRAMEWORKS.join(", ")}.` });

export const catalogControl = z.object({
  id: z.string().min(1),
  title: z.string().nullable(),
  text: z.string().min(1),
  examples: z.array(z.string()),
  page: z.string().nullable(),
  relevance: z.string().nullable(),
});
export type CatalogControl = z.infer<typeof catalogControl>;

export const catalogMeta = z.object({
  slug: frameworkSlug,
  name: z.string(),
  shortName: z.string(),
  framework: z.string(),
  source: z.string(),
  crossCheck: z.string().nullable(),
  license: z.string(),
  attribution: z.string().nullable(),
  levels: z.array(z.string()).length(3),
  generated: z.string(),
  note: z.string(),
});

/** Where a control sits in its catalog, for flat tables. */
export const controlPlace = z.object({ groupId: z.string(), groupTitle: z.string(), categoryId: z.string(), categoryTitle: z.string() });

/** Kinds of evidence a control can be mapped to (lib/compliance/evidence-map.ts). */
/** "crosswalk": a mapped CSF 2.0 subcategory's status (SOC 2 and ISO 27001 views). */
export const EVIDENCE_KINDS = ["finding_rule", "governance", "coverage", "ledger", "identity", "crosswalk"] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];
