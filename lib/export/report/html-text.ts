import { markInvisible } from "@/lib/events/invisible";

// User input written into the case report (report.html, and the PDF printed from it) must stay text: every string
// that did not come from this file is passed through one of these. `&`, `<`, `>` and both quotes are escaped, so
// nothing a user typed can open an element or leave an attribute (the report has no scripts and must never gain
// one); invisible characters are written out (⟨ZWSP⟩, ⟨RLO⟩: lib/events/invisible.ts), so "ad⟨ZWSP⟩min" cannot
// pass for "admin" on paper; and control characters, which a browser would drop or turn into line breaks, are
// replaced: by a space in one-line text (a title), by a line break (CR, CR LF) or a visible ⟨U+XXXX⟩ in text.

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
const SPECIAL = /[&<>"']/g;
const LINE_CONTROLS = /\r\n|[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const TEXT_CONTROLS = /\r\n?|[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029]/g;

const hex = (ch: string) => ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0");

/** One-line text (titles, names, table cells): line breaks and control characters become spaces. */
export function h(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  return markInvisible(String(value).replace(LINE_CONTROLS, " ")).replace(SPECIAL, (c) => ESCAPES[c]);
}

/** Multi-line text (notes, descriptions): CR and CR LF become LF (shown by `white-space: pre-wrap`), other controls ⟨U+XXXX⟩. */
export function hText(value: string | null | undefined): string {
  if (!value) return "";
  return markInvisible(value.replace(TEXT_CONTROLS, (c) => (c === "\r" || c === "\r\n" ? "\n" : `⟨U+${hex(c)}⟩`))).replace(
    SPECIAL,
    (c) => ESCAPES[c],
  );
}
