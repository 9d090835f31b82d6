// Whether `next build` must run: no build yet, or a file the build is made of changed after it. Tests, their
// fixtures and helpers are not part of the build, so editing them does not cost a rebuild.
import fs from "node:fs";
import path from "node:path";

const BUILD_INPUTS = ["app", "components", "lib", "types", "proxy.ts", "next.config.ts", "package-lock.json", "tsconfig.json"];
const NOT_BUILT = /\.test\.tsx?$|(^|\/)(testing|fixtures)(\/|$)/;

function newestMtime(paths: string[]): number {
  let newest = 0;
  const walk = (p: string) => {
    if (!fs.existsSync(p) || NOT_BUILT.test(p)) return;
    const st = fs.statSync(p);
    if (st.isDirectory()) {
      for (const entry of fs.readdirSync(p)) if (entry !== "node_modules" && entry !== ".next") walk(path.join(p, entry));
    } else newest = Math.max(newest, st.mtimeMs);
  };
  paths.forEach(walk);
  return newest;
}

export function buildIsStale(): boolean {
  const marker = path.join(".next", "BUILD_ID");
  if (!fs.existsSync(marker)) return true;
  return newestMtime(BUILD_INPUTS) > fs.statSync(marker).mtimeMs;
}
