import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { fmtTime } from "@/components/format";
import { localTimeTitle } from "@/components/time";

// One time convention on every page (issue 19 §5): times are written in UTC with the zone named, through
// fmtTime / <Time>, with the viewer's local time on hover. A date formatted in the browser's own zone and locale
// (Date#toLocaleString and friends) would show the same instant differently to two people comparing evidence.

const ROOT = path.resolve(import.meta.dirname, "..");
function sources(dir: string): string[] {
  return fs
    .readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })
    .flatMap((d) => (d.isFile() && /\.tsx?$/.test(d.name) && !/\.test\.tsx?$/.test(d.name) ? [path.join(d.parentPath, d.name)] : []));
}

describe("times on screen", () => {
  it("are written in UTC with the zone, and the hover names the viewer's zone", () => {
    expect(fmtTime("2026-12-07T21:30:05.123Z")).toBe("2026-12-07 21:30:05 UTC");
    expect(localTimeTitle("2026-12-07T21:30:05.123Z", "Europe/Berlin")).toBe("Your local time: Mon, 7 Dec 2026, 22:30:05 CET");
    expect(localTimeTitle("2026-07-07T21:30:05Z", "America/New_York")).toMatch(/^Your local time: Tue, 7 Jul 2026, 17:30:05 (EDT|GMT-4)$/);
    expect(localTimeTitle("not a time")).toBe("");
  });

  it("are never formatted in the browser's zone or locale in app/ or components/", () => {
    const offenders: string[] = [];
    for (const file of [...sources("app"), ...sources("components")]) {
      const text = fs.readFileSync(file, "utf8");
      text.split("\n").forEach((line, i) => {
        if (/toLocaleDateString|toLocaleTimeString|Date\([^)]*\)\.toLocaleString|\.getHours\(\)|\.getDate\(\)/.test(line)) {
          offenders.push(`${path.relative(ROOT, file)}:${i + 1}: ${line.trim()}`);
        }
      });
    }
    expect(offenders, "format times with fmtTime or <Time> (components/format.ts, components/time.tsx)").toEqual([]);
  });
});
