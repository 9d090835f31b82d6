// A hold's scope in words, for lists and the audit page.
const day = (d: Date | null) => (d ? d.toISOString().slice(0, 16).replace("T", " ") + " UTC" : null);

export function fmtScope(h: {
  caseId: string | null;
  rangeStart: Date | null;
  rangeEnd: Date | null;
  case?: { number: number; title: string } | null;
  source?: { name: string; platform: string } | null;
}): string {
  if (h.caseId) return h.case ? `Case #${h.case.number}: ${h.case.title}` : `Case ${h.caseId}`;
  const name = h.source?.name ?? "a deleted source";
  const from = day(h.rangeStart);
  const to = day(h.rangeEnd);
  if (!from && !to) return `${name}, all time`;
  return `${name}, ${from ?? "the beginning"} → ${to ?? "now and later"}`;
}
