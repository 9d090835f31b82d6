import { parse } from "csv-parse/sync";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { csvCell } from "./csv-cell";

// A CSV row built from any cells reads back as the same cells, and none of them can start a spreadsheet formula:
// a cell that would (=, +, -, @, after any leading whitespace, fullwidth forms included, or a leading tab / CR)
// reads back with a ' in front.
const FORMULA = /^[\s\u3000]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]/;
const alphabet = fc.constantFrom("a", "1", " ", ",", '"', "\r", "\n", "\t", "=", "+", "-", "@", "\uFF1D", "\u3000", ";");

describe("csvCell", () => {
  it("quotes the separator, quotes and line breaks, and defuses formulas, whatever the cell (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: alphabet, maxLength: 12 }), { minLength: 1, maxLength: 5 }), (cells) => {
        const line = cells.map(csvCell).join(",") + "\r\n";
        const rows = parse(line, { relax_column_count: false }) as string[][];
        expect(rows).toHaveLength(1);
        expect(rows[0]).toEqual(cells.map((c) => (FORMULA.test(c) || /^[\t\r]/.test(c) ? `'${c}` : c)));
        for (const v of rows[0]) expect(FORMULA.test(v) && !v.startsWith("'")).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it("leaves plain cells alone", () => {
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell(" =SUM(A1)")).toBe(`"' =SUM(A1)"`);
    expect(csvCell("\uFF1DHYPERLINK(1)")).toBe(`"'\uFF1DHYPERLINK(1)"`);
  });
});
