import { parseArgs } from "node:util";
import type { RequestContext } from "@/lib/context/request-context";
import { UsageError, type CliCommand, type CliIo } from "../command";

// Evidence packages from the command line: export a case to a zip file, and verify a package (zip or unzipped
// folder) with this installation's own verify.mjs, so that a verifier swapped inside the package proves nothing.

export function flags<T extends Record<string, { type: "boolean" | "string"; multiple?: boolean }>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

// `--as <email>` used to record the export under any user named; whoever runs the CLI can read the database, so the
// claim proved nothing. The export is recorded under the operating-system user and host instead (runCli's ctx).
function refuseAs(args: string[]): void {
  if (args.some((a) => a === "--as" || a.startsWith("--as="))) {
    throw new UsageError(
      "--as is no longer accepted: an export from the command line is recorded under the operating-system user running it " +
        "(cli:<user>@<host>), never under a dashboard user it names. Drop --as; to export as a person, sign in and use " +
        '"Download evidence package" on the case page.',
    );
  }
}

const exportHelp = [
  "Streams the package (raw records, events, sessions, case history, SHA256SUMS, inclusion proofs, signed",
  "checkpoint, public key, verify.mjs, README) to the file and records the export in the case history, under the",
  "operating-system user and host running this command (cli:<user>@<host>). With SESSIONPROOF_TSA_URL set, the",
  "checkpoint also gets an RFC 3161 timestamp token (proofs/checkpoint.tsr); a TSA failure is printed as a warning.",
  "  --out <file>    where to write the zip (default: case-<number>-evidence-<date>.zip here)",
].join("\n");

async function runExport(args: string[], io: CliIo, ctx: RequestContext): Promise<number> {
  refuseAs(args);
  const { values, positionals } = flags(args, { out: { type: "string" } });
  if (positionals.length !== 1) throw new UsageError("give exactly one case number or id");
  const fs = await import("node:fs");
  const path = await import("node:path");
  const { findCase } = await import("@/lib/export/collect-case-evidence");
  const { prepareCaseExport, writeCaseExport } = await import("@/lib/export/export-case");
  const { describeTimestamp } = await import("@/lib/export/checkpoint-timestamp");
  const kase = await findCase({ ref: positionals[0] });
  const started = performance.now();
  const prepared = await prepareCaseExport({ caseId: kase.id });
  const out = path.resolve(values.out ?? prepared.fileName);
  const tmp = `${out}.partial`;
  try {
    const r = await writeCaseExport({ ctx, prepared, output: fs.createWriteStream(tmp) });
    fs.renameSync(tmp, out);
    io.out(
      `Exported case #${r.caseNumber} to ${out}: ${r.files} files, ${r.events} events, ${r.rawRecords} raw records, ` +
        `${(r.zipBytes / 1024 / 1024).toFixed(1)} MB, checkpoint ${r.checkpointId} (tree size ${r.treeSize}), ` +
        `${((performance.now() - started) / 1000).toFixed(1)} s, as ${ctx.actor.email}.`,
    );
    const time = describeTimestamp(r.timestamp);
    // A missing token is a warning (stderr, where a script's log keeps it); see lib/export/checkpoint-timestamp.ts.
    if (r.timestamp.status === "unavailable") io.err(`${time}.`);
    else io.out(`Trusted time: ${time}.`);
    io.out(`Verify: npm run cli -- verify-export ${JSON.stringify(out)}   (or unzip it and follow its README.md)`);
    return 0;
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}

export const exportCmd: CliCommand = {
  name: "export",
  summary: "Write a case's verifiable evidence package (zip) to a file",
  usage: "<case number or id> --out <file.zip>",
  help: exportHelp,
  database: "write",
  run: runExport,
};

const verifyCmd: CliCommand = {
  name: "verify-export",
  summary: "Verify an evidence package (zip or unzipped folder) with this installation's verify.mjs and key",
  usage: "<file.zip | folder> [--expect-key <fingerprint>] [--tsa-cert <pem>]",
  help: [
    "Runs lib/export/verify.mjs (the same checks as the package's own verify.mjs) and requires the package to be",
    "signed by this installation's current ledger key. Exit code 0 when every check passes.",
    "  --expect-key <fingerprint>   require this key instead: a package from another installation, or one signed",
    "                               before this installation's key was rotated (`ledger keys` lists earlier keys)",
    "  --tsa-cert <pem>             require a trusted timestamp signed by this TSA certificate (runs openssl ts -verify)",
  ].join("\n"),
  database: "none",
  async run(args, io) {
    const { values, positionals } = flags(args, { "expect-key": { type: "string" }, "tsa-cert": { type: "string" } });
    if (positionals.length !== 1) throw new UsageError("give exactly one zip file or folder");
    const fs = await import("node:fs");
    const os = await import("node:os");
    const path = await import("node:path");
    const { spawnSync } = await import("node:child_process");
    const target = path.resolve(positionals[0]);
    if (!fs.existsSync(target)) throw new UsageError(`${positionals[0]} does not exist`);
    let expectKey = values["expect-key"];
    if (expectKey) {
      const { normalizeFingerprint } = await import("@/lib/ledger/signing-key");
      if (!normalizeFingerprint(expectKey))
        throw new UsageError(`--expect-key ${expectKey}: not a key fingerprint (64 hex digits, as Settings and \`ledger key\` show it)`);
    } else {
      const { loadSigningKey } = await import("@/lib/ledger/signing-key");
      const key = loadSigningKey();
      if (!key)
        throw new UsageError("this installation has no ledger key yet: give the package's expected key with --expect-key <fingerprint>");
      expectKey = key.fingerprint;
    }
    let dir = target;
    let tmp: string | null = null;
    if (fs.statSync(target).isFile()) {
      const { extractPackage } = await import("@/lib/export/extract-package");
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), "sessionproof-verify-"));
      dir = await extractPackage({ zipPath: target, dir: tmp });
    }
    try {
      const tsa = values["tsa-cert"] ? ["--tsa-cert", path.resolve(values["tsa-cert"])] : [];
      const r = spawnSync(process.execPath, [path.resolve("lib/export/verify.mjs"), dir, "--expect-key", expectKey, ...tsa], {
        encoding: "utf8",
      });
      io.out(`${r.stdout}${r.stderr}`.trimEnd());
      return r.status === 0 ? 0 : 1;
    } finally {
      if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    }
  },
};

export const exportCommands: readonly CliCommand[] = [exportCmd, verifyCmd];
