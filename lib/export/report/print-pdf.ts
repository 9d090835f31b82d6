import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

// report.pdf: Chromium printing report.html. The Chromium command line (--headless --print-to-pdf) rather than
// playwright-core driving it: playwright-core is only a development dependency here (through @playwright/test), the
// command line needs no new dependency and no DevTools connection, and it is one child process with a pid to time
// out and kill. Each print gets its own temporary folder and profile (two exports at once never share a browser),
// which is removed afterwards. --no-sandbox: the page is this product's own HTML with no script (report.html
// carries a CSP that forbids any), and the sandbox cannot start as root or in many containers.
//
// Which Chromium: SESSIONPROOF_CHROMIUM (a path, or "off" for no PDF), default /usr/bin/chromium (Debian's package,
// the one the e2e tests drive). When it is missing or fails, PdfUnavailableError says why and how to fix it; the
// evidence export then ships report.html without the PDF and says so in its README and manifest.

export const DEFAULT_CHROMIUM = "/usr/bin/chromium";
const DEFAULT_TIMEOUT_MS = 90_000;
const NICE = "/usr/bin/nice";

export class PdfUnavailableError extends Error {}

/** The Chromium that prints the report, or null when PDFs are switched off (SESSIONPROOF_CHROMIUM=off). */
export function chromiumPath(): string | null {
  const v = process.env.SESSIONPROOF_CHROMIUM?.trim();
  if (v === "off") return null;
  return v || DEFAULT_CHROMIUM;
}

function isExecutable(p: string): boolean {
  try {
    fs.accessSync(p, fs.constants.X_OK);
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/** Prints `html` to PDF with Chromium. Throws PdfUnavailableError (with the reason and the fix) when it cannot. */
export async function printPdf(
  html: string,
  { chromium = chromiumPath(), timeoutMs = DEFAULT_TIMEOUT_MS }: { chromium?: string | null; timeoutMs?: number } = {},
): Promise<Buffer> {
  if (chromium === null) throw new PdfUnavailableError("PDF printing is switched off (SESSIONPROOF_CHROMIUM=off).");
  if (!isExecutable(chromium)) {
    throw new PdfUnavailableError(
      `Chromium was not found at ${chromium}: install it (Debian: apt-get install chromium) or set SESSIONPROOF_CHROMIUM to its path.`,
    );
  }
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), "sessionproof-report-"));
  try {
    const htmlFile = path.join(dir, "report.html");
    const pdfFile = path.join(dir, "report.pdf");
    await fs.promises.writeFile(htmlFile, html, "utf8");
    const args = [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--disable-extensions",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--no-default-browser-check",
      `--user-data-dir=${path.join(dir, "profile")}`,
      "--no-pdf-header-footer",
      `--print-to-pdf=${pdfFile}`,
      `file://${htmlFile}`,
    ];
    // HOME too: the Debian launcher and Chromium write under it; here that is the temporary folder. At a lower CPU
    // priority (nice 10): during an export Chromium prints while the zip streams, and takes the cycles the export
    // leaves idle rather than slowing it down; on an idle machine it makes no difference.
    const env = { ...process.env, HOME: dir };
    if (isExecutable(NICE)) await run(NICE, ["-n", "10", chromium, ...args], timeoutMs, env, chromium);
    else await run(chromium, args, timeoutMs, env, chromium);
    const pdf = await fs.promises.readFile(pdfFile).catch(() => null);
    if (!pdf || pdf.subarray(0, 5).toString("latin1") !== "%PDF-") {
      throw new PdfUnavailableError(`Chromium (${chromium}) ended without writing a PDF.`);
    }
    return pdf;
  } finally {
    await fs.promises.rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
}

/** Runs Chromium in its own process group, so that a timeout ends it with every helper process it started. */
function run(command: string, args: string[], timeoutMs: number, env: NodeJS.ProcessEnv, chromium: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { detached: true, stdio: ["ignore", "ignore", "pipe"], env });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => {
      stderr = (stderr + d.toString("utf8")).slice(-4000);
    });
    const killGroup = () => {
      try {
        if (child.pid) process.kill(-child.pid, "SIGKILL");
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      killGroup();
      reject(
        new PdfUnavailableError(`Chromium (${chromium}) did not finish the PDF within ${Math.round(timeoutMs / 1000)} s and was stopped.`),
      );
    }, timeoutMs);
    child.on("error", (err) => {
      clearTimeout(timer);
      reject(new PdfUnavailableError(`Chromium (${chromium}) could not be started: ${err.message}`));
    });
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      killGroup(); // helper processes that outlived the browser
      if (code === 0) return resolve();
      const lastLines = stderr
        .split("\n")
        .filter((l) => l.trim() && !/dbus|Fontconfig/.test(l))
        .slice(-3)
        .join(" | ");
      reject(new PdfUnavailableError(`Chromium (${chromium}) failed (${signal ?? `exit ${code}`})${lastLines ? `: ${lastLines}` : ""}.`));
    });
  });
}
