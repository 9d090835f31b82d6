import { parseArgs } from "node:util";
import { describePlatforms } from "@/lib/sources/registry";
import { UsageError, type CliCommand } from "../command";

// `npm run cli -- ingest <files or folders> [--platform okta] [--source name]`: the command-line way in, through
// the same pipeline as uploads and push delivery. One batch per file; a progress line while each file streams.
function fmtBytes(n: number): string {
  return n >= 1 << 30 ? `${(n / 2 ** 30).toFixed(2)} GB` : n >= 1 << 20 ? `${(n / 2 ** 20).toFixed(1)} MB` : `${(n / 1024).toFixed(0)} KB`;
}

const ingest: CliCommand = {
  name: "ingest",
  summary: "Ingest audit export files or folders (format detected per file)",
  usage: "<files or folders…> [--platform <id> | --grant-mapping <file or name>] [--source <name>] [--json] [--no-correlate]",
  // Built when asked for, from the source registry: the list of platforms and shapes is always the real one.
  get help() {
    return [
      "Reads each file as a stream (JSON array, NDJSON, API page envelope, CSV, .gz of these), keeps every record",
      "verbatim in the evidence ledger or quarantines it with its reason, and prints per file:",
      "read = stored + duplicate + quarantined + skipped (records holding no event, such as CloudTrail digest files). Ingesting a file again stores nothing new.",
      "  --platform <id>   skip detection and read every file as this platform's (ids below)",
      "  --source <name>   the source to file the records under (default: the platform's name)",
      "  --grant-mapping <file or name>",
      "                    read a PAM / JIT tool's grant export (JSON or CSV) through a declared field mapping: a mapping",
      '                    JSON file, or the name of one saved in Settings (docs/grant-format.md, "Grant mappings").',
      "                    Records the mapping cannot read are quarantined with the field and the reason.",
      "  --json            print the results as JSON",
      "  --no-correlate    skip the analysis afterwards (by default, when anything was stored, correlation, governance",
      "                    checks and risk rules run, as after an upload)",
      "",
      "Platforms and the shapes each reads:",
      ...describePlatforms().map((p) => `  ${p.id.padEnd(18)} ${p.label}: ${p.formats.join(", ")}`),
    ].join("\n");
  },
  database: "write",
  async run(args, io, ctx) {
    let parsed;
    try {
      parsed = parseArgs({
        args,
        options: {
          platform: { type: "string" },
          source: { type: "string" },
          "grant-mapping": { type: "string" },
          json: { type: "boolean" },
          "no-correlate": { type: "boolean" },
        },
        allowPositionals: true,
        strict: true,
      });
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const { values, positionals } = parsed;
    if (positionals.length === 0) throw new UsageError("name at least one file or folder to ingest");
    const { ingestFiles } = await import("@/lib/ingest/ingest-files");
    const { getSource, grantFeedIds, supportedPlatformIds } = await import("@/lib/sources/registry");
    if (values.platform && !getSource(values.platform)) {
      throw new UsageError(`unknown platform "${values.platform}"; supported: ${supportedPlatformIds().join(", ")}`);
    }
    if (values.platform && values["grant-mapping"] && !grantFeedIds().includes(values.platform))
      throw new UsageError(`--grant-mapping reads grant exports (platform ${grantFeedIds().join(", ")}): leave --platform out`);
    const grantMapping = values["grant-mapping"]
      ? await (await import("@/lib/ingest/grant-mappings")).resolveGrantMapping(values["grant-mapping"])
      : undefined;
    // The next run is where a batch whose process died (a crash, kill -9) is noticed: without a dashboard started
    // since, it would stay "running" for ever and hold back incremental correlation.
    const { markInterruptedBatches } = await import("@/lib/ingest/interrupted-batches");
    for (const b of await markInterruptedBatches()) {
      io.err(
        `[sessionproof] batch ${b.id} (${b.fileName}) was left running by a process that stopped: marked interrupted ` +
          `(${b.read} read, ${b.stored} stored); ingesting that file again finishes it`,
      );
    }
    const tty = Boolean(process.stderr.isTTY);
    let lastLine = 0;
    const outcomes = await ingestFiles({
      ctx,
      paths: positionals,
      platform: values.platform,
      sourceName: values.source,
      grantMapping,
      onProgress: (file, p) => {
        const now = Date.now();
        if (now - lastLine < (tty ? 200 : 5000)) return;
        lastLine = now;
        const pct = p.byteSize ? ` ${((100 * p.bytesRead) / p.byteSize).toFixed(0)}%` : "";
        const line = `  ${file}:${pct} ${fmtBytes(p.bytesRead)}, ${p.read.toLocaleString()} read, ${p.stored.toLocaleString()} stored, ${p.duplicate.toLocaleString()} duplicate, ${p.quarantined.toLocaleString()} quarantined`;
        process.stderr.write(tty ? `\r${line.padEnd(110)}` : `${line}\n`);
      },
      onFileDone: (o) => {
        if (tty) process.stderr.write("\r".padEnd(112) + "\r");
        if (values.json) return;
        if (o.error) io.err(`✗ ${o.file}: ${o.error}`);
        else if (o.result) {
          const r = o.result;
          const mark = r.status === "completed" ? (r.quarantined ? "!" : "✓") : "✗";
          io.out(
            `${mark} ${o.file} [${r.platform}] read ${r.read}, stored ${r.stored}, duplicate ${r.duplicate}, quarantined ${r.quarantined}` +
              (r.skipped ? `, skipped ${r.skipped} (${r.note?.replace(/\n/g, "; ")})` : "") +
              (r.error ? ` — ${r.error}` : "") +
              (r.quarantined ? `  (see the Ingest page, or GET /api/v1/ingest/quarantine?batchId=${r.batchId})` : ""),
          );
        }
      },
    });
    const storedAny = outcomes.some((o) => (o.result?.stored ?? 0) > 0);
    if (storedAny && !values["no-correlate"]) {
      // The same analysis as every other way in: correlation, governance checks, risk rules.
      const { runAnalysis, describeAnalysis } = await import("@/lib/analysis/run-analysis");
      const a = await runAnalysis({ ctx, mode: "full" });
      if (!values.json) io.out(describeAnalysis(a));
    }
    if (values.json) io.out(JSON.stringify(outcomes, null, 2));
    const failed = outcomes.filter((o) => o.error || o.result?.status !== "completed").length;
    if (!values.json) {
      const t = outcomes.reduce(
        (a, o) => ({
          read: a.read + (o.result?.read ?? 0),
          stored: a.stored + (o.result?.stored ?? 0),
          duplicate: a.duplicate + (o.result?.duplicate ?? 0),
          quarantined: a.quarantined + (o.result?.quarantined ?? 0),
          skipped: a.skipped + (o.result?.skipped ?? 0),
        }),
        { read: 0, stored: 0, duplicate: 0, quarantined: 0, skipped: 0 },
      );
      io.out(
        `${outcomes.length} file(s): read ${t.read}, stored ${t.stored}, duplicate ${t.duplicate}, quarantined ${t.quarantined}` +
          `${t.skipped ? `, skipped ${t.skipped}` : ""}${failed ? `; ${failed} failed` : ""}`,
      );
    }
    return failed ? 1 : 0;
  },
};

export const ingestCommands: CliCommand[] = [ingest];
