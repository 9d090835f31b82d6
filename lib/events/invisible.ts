// Characters that take no space on screen: zero-width spaces and joiners, bidirectional controls, invisible
// operators, variation selectors, tag characters, fillers. In an identity's name or an event's value they make two
// different strings look the same ("admin" and "ad\u200Bmin"), or reorder what is shown (U+202E turns text around).
// Wherever Sessionproof shows such a value it marks each one visibly (⟨ZWSP⟩), and identities that differ only by
// them are a finding (lib/risk/rules.ts, lookalike-identities).

const NAMES: Record<number, string> = {
  0x00ad: "SHY",
  0x034f: "CGJ",
  0x061c: "ALM",
  0x115f: "HF",
  0x1160: "HF",
  0x17b4: "KIV",
  0x17b5: "KIV",
  0x180e: "MVS",
  0x200b: "ZWSP",
  0x200c: "ZWNJ",
  0x200d: "ZWJ",
  0x200e: "LRM",
  0x200f: "RLM",
  0x202a: "LRE",
  0x202b: "RLE",
  0x202c: "PDF",
  0x202d: "LRO",
  0x202e: "RLO",
  0x2060: "WJ",
  0x2061: "FA",
  0x2062: "IT",
  0x2063: "IS",
  0x2064: "IP",
  0x2066: "LRI",
  0x2067: "RLI",
  0x2068: "FSI",
  0x2069: "PDI",
  0x3164: "HF",
  0xfeff: "BOM",
  0xffa0: "HF",
};

/** The ranges, as code points [from, to]. */
const RANGES: [number, number][] = [
  [0x00ad, 0x00ad],
  [0x034f, 0x034f],
  [0x061c, 0x061c],
  [0x115f, 0x1160],
  [0x17b4, 0x17b5],
  [0x180b, 0x180f], // Mongolian free variation selectors and vowel separator
  [0x200b, 0x200f],
  [0x202a, 0x202e],
  [0x2060, 0x206f], // word joiner, invisible operators, isolates, deprecated format controls
  [0x3164, 0x3164],
  [0xfe00, 0xfe0f], // variation selectors
  [0xfeff, 0xfeff],
  [0xffa0, 0xffa0],
  [0xfff0, 0xfff8],
  [0x1d173, 0x1d17a], // musical formatting
  [0xe0000, 0xe007f], // tags
  [0xe0100, 0xe01ef], // variation selectors supplement
];

const hex = (cp: number) => cp.toString(16).toUpperCase().padStart(4, "0");
const cls = RANGES.map(([a, b]) => (a === b ? `\\u{${hex(a)}}` : `\\u{${hex(a)}}-\\u{${hex(b)}}`)).join("");
const INVISIBLE = new RegExp(`[${cls}]`, "u");
const INVISIBLE_ALL = new RegExp(`[${cls}]`, "gu");

/**
 * The same set as a PostgreSQL regular expression bracket (the characters themselves, passed as a query parameter):
 * `regexp_replace(name, $n, '', 'g')` removes them.
 */
export const INVISIBLE_PG_CLASS = `[${RANGES.map(([a, b]) => (a === b ? String.fromCodePoint(a) : `${String.fromCodePoint(a)}-${String.fromCodePoint(b)}`)).join("")}]`;

export function hasInvisible(s: string): boolean {
  return INVISIBLE.test(s);
}

export function stripInvisible(s: string): string {
  return s.replace(INVISIBLE_ALL, "");
}

/** A short visible name for an invisible character: ZWSP, RLO, … or U+E0041 for those without one. */
export function invisibleName(ch: string): string {
  const cp = ch.codePointAt(0)!;
  return NAMES[cp] ?? `U+${hex(cp)}`;
}

type TextPart = { text: string } | { invisible: string; codePoint: string };

/** The string cut into visible text and invisible characters, in order (for a component that marks them). */
export function splitInvisible(s: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const m of s.matchAll(INVISIBLE_ALL)) {
    if (m.index > last) parts.push({ text: s.slice(last, m.index) });
    parts.push({ invisible: invisibleName(m[0]), codePoint: `U+${hex(m[0].codePointAt(0)!)}` });
    last = m.index + m[0].length;
  }
  if (last < s.length) parts.push({ text: s.slice(last) });
  return parts;
}

/** The string with every invisible character written out as ⟨NAME⟩, for plain-text places (titles, files). */
export function markInvisible(s: string): string {
  return hasInvisible(s) ? s.replace(INVISIBLE_ALL, (ch) => `⟨${invisibleName(ch)}⟩`) : s;
}
