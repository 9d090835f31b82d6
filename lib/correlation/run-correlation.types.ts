import { z } from "zod";

export const CORRELATION_MODES = ["full", "incremental"] as const;
export type CorrelationMode = (typeof CORRELATION_MODES)[number];

/** ?mode=incremental: a full pass unless asked otherwise (POST /api/v1/correlation). */
export const runCorrelationQuery = z.object({ mode: z.enum(CORRELATION_MODES).default("full") });

const count = z.number().int().min(0);

/** What a correlation run reports (runCorrelation; the CLI prints it, POST /api/v1/correlation answers it). */
export const correlationSummary = z.object({
  /** The mode that ran (an incremental request can fall back to full). */
  mode: z.enum(CORRELATION_MODES),
  /** Why an incremental request ran a full pass (null when it did not). */
  fallbackReason: z.string().nullable(),
  /** Events stored since the previous run. */
  newEvents: count,
  /** Events loaded and correlated by this run (all of them for a full pass). */
  events: count,
  /** Events in total (as of this run). */
  totalEvents: count,
  identities: count,
  credentials: count,
  sessions: count,
  links: count,
  durationMs: z.number().min(0),
});
export type CorrelationSummary = z.infer<typeof correlationSummary>;
