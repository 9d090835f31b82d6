import { z } from "zod";

// The audit period every compliance view, CSV and printable report takes (query parameters `from` and `to`). No server
// imports: the route contracts and the page's period picker use it.
//
// `from` is inclusive, `to` inclusive of its whole day when given as a date (YYYY-MM-DD), so "2025-01-01 to 2025-03-31"
// is the first quarter; either may be left out (open start: everything held before `to`; open end: up to now). A
// period is kept half-open internally ([from, toExclusive)), which is what every SQL filter compares against.

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

/** A bound as written in the URL: a date (YYYY-MM-DD, UTC) or an ISO date-time with its offset. */
const bound = (name: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => (v === "" ? undefined : v))
    .refine((v) => v === undefined || ((DATE_ONLY.test(v) || /^\d{4}-\d{2}-\d{2}T/.test(v)) && !Number.isNaN(Date.parse(v))), {
      message: `${name}: enter a date as YYYY-MM-DD (UTC), or an ISO date-time such as 2025-03-31T23:59:59Z.`,
    });

/** The period in force: ISO times, `toExclusive` the first instant after it; null = open at that end. */
export type AuditPeriod = { from: string | null; toExclusive: string | null };

export const ALL_DATA: AuditPeriod = { from: null, toExclusive: null };

/** `from` / `to` query parameters, checked and turned into the half-open period. */
export const auditPeriodQuery = z
  .object({ from: bound("From"), to: bound("To") })
  .transform(({ from, to }): AuditPeriod => {
    const start = from === undefined ? null : new Date(Date.parse(DATE_ONLY.test(from) ? `${from}T00:00:00Z` : from));
    // A date means through the end of that day (UTC); a date-time is taken as the last instant included.
    const end =
      to === undefined ? null : DATE_ONLY.test(to) ? new Date(Date.parse(`${to}T00:00:00Z`) + DAY_MS) : new Date(Date.parse(to) + 1);
    return { from: start?.toISOString() ?? null, toExclusive: end?.toISOString() ?? null };
  })
  .refine((p) => p.from === null || p.toExclusive === null || p.from < p.toExclusive, {
    message: "The audit period ends before it starts: choose a From date on or before the To date.",
    path: ["to"],
  });

/** The period's last day as YYYY-MM-DD (what a date picker shows), for an exclusive end at midnight UTC. */
export function lastDayOf(p: AuditPeriod): string | null {
  return p.toExclusive === null ? null : new Date(Date.parse(p.toExclusive) - 1).toISOString().slice(0, 10);
}

/** "2025-01-01 to 2025-03-31 (UTC)", "from 2025-01-01 (UTC)", "all data held". */
export function describePeriod(p: AuditPeriod): string {
  const from = p.from?.slice(0, 10) ?? null;
  const to = lastDayOf(p);
  if (from === null && to === null) return "all data held (no period set)";
  if (from === null) return `everything held through ${to} (UTC)`;
  if (to === null) return `from ${from} to now (UTC)`;
  return `${from} to ${to} (UTC)`;
}

/** The period as URL query parameters (dates, inclusive), for links that keep it. */
export function periodParams(p: AuditPeriod): Record<string, string> {
  const out: Record<string, string> = {};
  if (p.from) out.from = p.from.slice(0, 10);
  const to = lastDayOf(p);
  if (to) out.to = to;
  return out;
}

export type PeriodPreset = { id: string; label: string; from: string | null; to: string | null };

/** The picker's presets relative to `now` (dates, UTC, `to` inclusive). */
export function periodPresets(now: Date): PeriodPreset[] {
  const day = (d: Date) => d.toISOString().slice(0, 10);
  const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const back = (days: number) => day(new Date(today.getTime() - (days - 1) * DAY_MS));
  // The last whole calendar quarter before the one `now` is in.
  const q = Math.floor(now.getUTCMonth() / 3);
  const lastQStart = new Date(Date.UTC(now.getUTCFullYear(), (q - 1) * 3, 1));
  const lastQEnd = new Date(Date.UTC(now.getUTCFullYear(), q * 3, 1) - DAY_MS);
  const yearStart = new Date(Date.UTC(now.getUTCFullYear() - 1, 0, 1));
  return [
    { id: "all", label: "All data held", from: null, to: null },
    { id: "90d", label: "Last 90 days", from: back(90), to: day(today) },
    {
      id: "quarter",
      label: `Last quarter (Q${((q + 3) % 4) + 1} ${lastQStart.getUTCFullYear()})`,
      from: day(lastQStart),
      to: day(lastQEnd),
    },
    { id: "12m", label: "Last 12 months", from: back(365), to: day(today) },
    {
      id: "last-year",
      label: `Last calendar year (${yearStart.getUTCFullYear()})`,
      from: day(yearStart),
      to: `${yearStart.getUTCFullYear()}-12-31`,
    },
  ];
}
