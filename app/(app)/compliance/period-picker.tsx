import Link from "next/link";
import {
  auditPeriodQuery,
  ALL_DATA,
  describePeriod,
  lastDayOf,
  periodParams,
  periodPresets,
  type AuditPeriod,
} from "@/lib/compliance/audit-period.types";

// The audit period of every compliance view: preset links and a custom from/to form, all plain GET links so that a
// period is part of the URL (shareable, and kept by the downloads). Server component.

type Search = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (typeof v === "string" ? v : undefined);

/** The period in the URL; an invalid one falls back to all data, with the message to show. */
export function periodFromSearch(sp: Search): { period: AuditPeriod; error: string | null; raw: { from?: string; to?: string } } {
  const raw = { from: one(sp.from), to: one(sp.to) };
  const parsed = auditPeriodQuery.safeParse(raw);
  return parsed.success ? { period: parsed.data, error: null, raw } : { period: ALL_DATA, error: parsed.error.issues[0].message, raw };
}

/** `?from=…&to=…` plus the other parameters to keep ("" when none). */
export function withPeriod(period: AuditPeriod, keep: Record<string, string | undefined> = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...keep, ...periodParams(period) })) if (v) q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : "";
}

export function PeriodPicker({
  path,
  period,
  error,
  raw,
  keep = {},
  now = new Date(),
}: {
  path: string;
  period: AuditPeriod;
  error: string | null;
  raw: { from?: string; to?: string };
  keep?: Record<string, string | undefined>;
  now?: Date;
}) {
  const current = periodParams(period);
  const presets = periodPresets(now);
  const link = (from: string | null, to: string | null) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...keep, from: from ?? undefined, to: to ?? undefined })) if (v) q.set(k, v);
    const s = q.toString();
    return s ? `${path}?${s}` : path;
  };
  return (
    <section className="panel cmp-period" aria-labelledby="cmp-period-title" data-testid="period-picker">
      <h2 id="cmp-period-title">
        Audit period: <span data-testid="period-label">{describePeriod(period)}</span>
      </h2>
      <p className="muted">
        Every population below (governance checks, events, sessions, identities, findings) is counted over this period only; retention and
        signed checkpoints are about everything held.
      </p>
      <ul className="cmp-presets">
        {presets.map((p) => {
          const active = (current.from ?? null) === p.from && (current.to ?? null) === p.to;
          return (
            <li key={p.id}>
              <Link href={link(p.from, p.to)} aria-current={active ? "true" : undefined} className={active ? "btn" : "btn btn-secondary"}>
                {p.label}
              </Link>
            </li>
          );
        })}
      </ul>
      <form method="get" action={path} className="form-row" aria-label="Custom audit period">
        {Object.entries(keep).map(([k, v]) => (v ? <input key={k} type="hidden" name={k} value={v} /> : null))}
        <div className="field">
          <label htmlFor="period-from">From</label>
          <input id="period-from" name="from" type="date" defaultValue={raw.from ?? period.from?.slice(0, 10) ?? ""} />
        </div>
        <div className="field">
          <label htmlFor="period-to">To (inclusive)</label>
          <input
            id="period-to"
            name="to"
            type="date"
            defaultValue={raw.to ?? lastDayOf(period) ?? ""}
            aria-describedby={error ? "period-error" : undefined}
          />
          {error ? (
            <div className="error" id="period-error" role="alert">
              {error} Showing all data held instead.
            </div>
          ) : null}
        </div>
        <div className="form-submit">
          <button type="submit" className="btn">
            Set period
          </button>
        </div>
      </form>
    </section>
  );
}
