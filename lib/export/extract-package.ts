import fs from "node:fs";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { AppError } from "@/lib/errors";

// Unzips an evidence package into `dir` for `npm run cli -- verify-export`, refusing entries that would land outside
// it (absolute paths, ".."). Returns the package folder: the single top-level folder the export writes, or `dir`.
export async function extractPackage({ zipPath, dir }: { zipPath: string; dir: string }): Promise<string> {
  const yauzl = (await import("yauzl")).default;
  const root = path.resolve(dir);
  const zip = await new Promise<import("yauzl").ZipFile>((resolve, reject) =>
    yauzl.open(zipPath, { lazyEntries: true, autoClose: true }, (err, z) => (err || !z ? reject(err ?? new Error("no zip")) : resolve(z))),
  ).catch((err: Error) => {
    throw new AppError("VALIDATION", `${zipPath} is not a readable zip file (${err.message}).`);
  });
  const tops = new Set<string>();
  await new Promise<void>((resolve, reject) => {
    zip.on("error", reject);
    zip.on("end", resolve);
    zip.on("entry", (entry: import("yauzl").Entry) => {
      const target = path.resolve(root, entry.fileName);
      if (!target.startsWith(root + path.sep))
        return reject(new AppError("VALIDATION", `the zip entry ${entry.fileName} points outside the package`));
      tops.add(entry.fileName.split("/")[0]);
      if (entry.fileName.endsWith("/")) {
        fs.mkdirSync(target, { recursive: true });
        return zip.readEntry();
      }
      fs.mkdirSync(path.dirname(target), { recursive: true });
      zip.openReadStream(entry, (err, stream) => {
        if (err || !stream) return reject(err ?? new Error(`cannot read ${entry.fileName}`));
        pipeline(stream, fs.createWriteStream(target)).then(() => zip.readEntry(), reject);
      });
    });
    zip.readEntry();
  });
  const [only] = [...tops];
  return tops.size === 1 && fs.statSync(path.join(root, only)).isDirectory() ? path.join(root, only) : root;
}
