import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { supportedPlatformIds } from "./registry";

// What Sessionproof knows about a platform lives in its folder under lib/sources (its profile, source, catalogs): no
// code elsewhere in lib/ names a platform. This scan finds a platform id written as a string literal ("okta") or as
// an object key (okta: …) in code, comments left out, in every lib/ file outside lib/sources, tests, test helpers,
// fixtures and the demo generator (which writes vendor records on purpose).

const LIB = path.resolve(import.meta.dirname, "..");

/** Files allowed to name a platform, each with the reason. Keep this list short: move the knowledge into a profile instead. */
const EXCEPTIONS: Record<string, string> = {};

const SKIP_DIRS = new Set(["sources", "generated", "demo", "testing", "fixtures", "test", "__fixtures__"]);
const isTestFile = (f: string) => /\.(test|spec)\.tsx?$/.test(f) || /(^|\/)(demo|test)[^/]*\.tsx?$/.test(path.basename(f));

function codeFiles(dir: string): string[] {
  const out: string[] = [];
  for (const d of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) {
      if (!SKIP_DIRS.has(d.name)) out.push(...codeFiles(p));
    } else if (/\.tsx?$/.test(d.name) && !isTestFile(p)) out.push(p);
  }
  return out;
}

/** The code without its comments (block comments, and line comments that start a line or follow whitespace, so "https://…" stays). */
const stripComments = (src: string) => src.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|\s)\/\/.*$/gm, "$1");

export function platformNamesIn(src: string, ids: readonly string[]): string[] {
  const code = stripComments(src);
  const found = new Set<string>();
  for (const id of ids) {
    const esc = id.replace(/[-]/g, "\\-");
    const literal = new RegExp(`["'\`]${esc}["'\`]`);
    const key = new RegExp(`(^|[{,])\\s*${esc}\\s*:`, "m");
    if (literal.test(code) || (/^[a-z0-9]+$/.test(id) && key.test(code))) found.add(id);
  }
  return [...found];
}

describe("platform names stay in lib/sources", () => {
  const ids = supportedPlatformIds();

  it("the scan finds literals and object keys, not comments or longer strings", () => {
    expect(platformNamesIn(`if (p === "okta") {}`, ids)).toEqual(["okta"]);
    expect(platformNamesIn(`const m = {\n  github: 1,\n};`, ids)).toEqual(["github"]);
    expect(platformNamesIn(`const m = { a: 1, slack: 2 };`, ids)).toEqual(["slack"]);
    expect(platformNamesIn("const k = `aws-cloudtrail`;", ids)).toEqual(["aws-cloudtrail"]);
    expect(platformNamesIn(`// e.g. "okta"\n/* "slack" */ const u = "https://x"; // "entra"`, ids)).toEqual([]);
    expect(platformNamesIn(`const s = "okta-eu"; const t = "Okta System Log";`, ids)).toEqual([]);
  });

  it("no lib/ code outside lib/sources names a platform (apart from the listed exceptions)", () => {
    const offenders: string[] = [];
    for (const file of codeFiles(LIB)) {
      const rel = path.relative(LIB, file);
      if (rel in EXCEPTIONS) continue;
      const names = platformNamesIn(fs.readFileSync(file, "utf8"), ids);
      if (names.length > 0) offenders.push(`lib/${rel}: ${names.join(", ")}`);
    }
    expect(offenders).toEqual([]);
  });
});
