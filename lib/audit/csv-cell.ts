// A cell a spreadsheet could run as a formula: = + - @ (or their fullwidth forms) after any leading whitespace, or a
// leading tab or CR.
const FORMULA_START = /^[\s\u3000]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]|^[\t\r]/;

/**
 * One CSV cell (RFC 4180, comma-separated): quoted when it holds the separator, a quote, CR or LF, or could start
 * a formula, which also gets a ' in front so that a spreadsheet shows it as text. Used by every CSV export.
 */
export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return "";
  const s = typeof v === "string" ? v : JSON.stringify(v);
  const safe = FORMULA_START.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) || safe !== s ? `"${safe.replace(/"/g, '""')}"` : safe;
}
