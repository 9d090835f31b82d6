import type { LedgerCheckpointJson } from "@/lib/ledger/checkpoint-row";
import { markdownLiteral } from "./markdown-text";

// The README.md inside every evidence package: for an auditor who has never seen Sessionproof. The three commands
// in the "Verify" block are run verbatim by the tests (lib/export/export-case.db.test.ts, e2e/evidence-export.spec.ts),
// so they must stay runnable as written from inside the unzipped folder.

export const VERIFY_COMMANDS = [
  "sha256sum --strict -c SHA256SUMS",
  "openssl pkeyutl -verify -pubin -inkey public-key.pem -rawin -in checkpoint.txt -sigfile checkpoint.sig",
  'node verify.mjs --expect-key "$SESSIONPROOF_KEY"',
] as const;

/** The variable the third command reads: the signing key's fingerprint, which the auditor obtains out of band. */
export const EXPECTED_KEY_VARIABLE = "SESSIONPROOF_KEY";

/** Prints the SHA-256 fingerprint of the key in public-key.pem (tested against the key's fingerprint). */
export const FINGERPRINT_COMMAND = "openssl pkey -pubin -in public-key.pem -outform DER | openssl dgst -sha256";

const SUMS_SIGNATURE_COMMAND = "openssl pkeyutl -verify -pubin -inkey public-key.pem -rawin -in SHA256SUMS -sigfile SHA256SUMS.sig";

export function renderReadme({
  caseNumber,
  title,
  folder,
  counts,
  checkpoint,
  report,
}: {
  caseNumber: number;
  title: string;
  folder: string;
  counts: Record<string, number>;
  checkpoint: LedgerCheckpointJson;
  /** Whether report.pdf is in the package, and why not (report.html always is). */
  report?: { pdf: boolean; pdfMissing: string | null };
}): string {
  return `# Evidence package: case #${caseNumber} - ${markdownLiteral(title)}

Exported by Sessionproof. It holds ${counts.events} normalized events from ${counts.sessions} sessions, the
${counts.rawRecords} raw records they were normalized from (byte for byte as received), and proof that each raw record
is in the append-only evidence ledger under a signed checkpoint.
${
  report
    ? `
The case as a person reads it (summary, scope, notes, the four answers for each session, timeline, findings,
governance results, tasks, review and this verification summary) is in \`report.html\`${
        report.pdf
          ? " and, printed, in `report.pdf`."
          : `. **\`report.pdf\` is not in this package**: the PDF could not be made when it was exported (${markdownLiteral(report.pdfMissing ?? "no reason recorded")}). Open \`report.html\` in any browser (it needs no network) and print it.`
      }
`
    : ""
}
## Verify

First obtain the fingerprint of your organisation's ledger signing key from a channel that does not pass through
this package: the Settings page of your organisation's Sessionproof, its \`/api/v1/ledger/public-key\`, your
Sessionproof administrator (\`npm run cli -- ledger key\`), or the value your organisation published. It is 64 hex
digits (the SHA-256 of the public key). Put it in a variable, for example \`export SESSIONPROOF_KEY=<64 hex digits>\`.

Unzip, then run these three commands inside \`${folder}/\` (needs \`sha256sum\`, OpenSSL 3 and Node.js 18 or later):

\`\`\`sh
${VERIFY_COMMANDS.join("\n")}
\`\`\`

1. \`sha256sum --strict -c SHA256SUMS\` checks that no file changed since the export (every line must say \`OK\`; --strict also fails a line that was damaged beyond reading).
2. The \`openssl\` command checks the Ed25519 signature of the ledger checkpoint (\`Signature Verified Successfully\`).
3. \`node verify.mjs --expect-key ...\` checks that the package was signed by your organisation's key, then everything else, offline, with no dependencies: every file against SHA256SUMS (and that
   none is missing or added), the signatures, that each raw record hashes to its ledger leaf hash, that each leaf's
   RFC 9162 inclusion proof leads to the signed checkpoint root, that each raw record and the hashes of its events
   lead to what its append batch signed when it was ingested, and that every event cites a raw record in the package
   and is, byte for byte, one of the events signed with it (an event edited since ingest is named).
   It prints PASS/FAIL per check and names the first bad file and record; exit code 0 means all checks passed.

SHA256SUMS itself is signed by the same key: \`${SUMS_SIGNATURE_COMMAND}\`.

Why the key must be pinned: the signatures only prove that the holder of \`public-key.pem\` signed the package, and
that key travels inside the package. A package rewritten and signed again with another key passes the first two
commands; \`--expect-key\` is what fails it. Without \`--expect-key\`, \`verify.mjs\` still checks everything else
but ends with "KEY NOT PINNED". This package says it was signed by key \`${checkpoint.keyFingerprint}\`;
\`${FINGERPRINT_COMMAND}\` prints the fingerprint of the key it carries (the hex after \`=\`). Likewise, run a
\`verify.mjs\` you obtained separately (\`node /path/to/verify.mjs ${folder}\`) if you do not trust the copy here.

If your organisation rotated its key, pin the newest key: \`keys.json\` lists the earlier keys, each handing over to the
next in a statement signed by the key it retires, and \`verify.mjs\` reports which key signed which checkpoints.

If you kept a checkpoint from before (an earlier package's folder or its \`checkpoint.txt\` with \`checkpoint.sig\`, or a
checkpoint JSON from \`/api/v1/ledger/consistency\`), add \`--since <that file or folder>\`: \`verify.mjs\` checks its
signature and the RFC 9162 consistency proof from it to this package's checkpoint, so nothing you saw then was
rewritten or dropped since.

## Contents

| File | What it is |
| --- | --- |
| \`raw/records.bin\` | The raw records exactly as stored, back to back, in ledger (leaf) order |
| \`raw/index.ndjson\` | One line per raw record: id, leaf index, byte offset and length in records.bin, source file and position, content and leaf hashes, ingest batch |
| \`proofs/inclusion-proofs.ndjson\` | One RFC 9162 inclusion proof per raw record: leaf index, tree size, leaf hash, audit path (hex) |
| \`proofs/append-batches.json\` | The signed append batches the raw records were written in (each batch's exact signed text and signature) |
| \`proofs/append-proofs.ndjson\` | Per raw record: its batch, the SHA-256 of each of its events, and the path from its batch entry to the signed root |
| \`checkpoint.txt\`, \`checkpoint.sig\`, \`checkpoint.json\` | The signed tree head (the exact signed text, its raw Ed25519 signature, and the same as JSON) |
| \`public-key.pem\` | The ledger's Ed25519 public key |
| \`keys.json\` | Every key the ledger was signed with, oldest first, each later one with its signed rotation statement |
| \`proofs/checkpoints.ndjson\` | Every checkpoint of the ledger up to this one (signed note, signature) with its RFC 9162 consistency proof to this one |
| \`events.ndjson\` | The normalized events, one JSON object per line, each with the id of its raw record |
| \`sessions.json\`, \`links.json\` | The sessions cited and the cross-session links between them (with rule and confidence) |
| \`identities.json\`, \`lineage.json\` | The identities involved (with aliases), credentials and their parent chains, lineage graphs as cited |
| \`findings.json\` | The findings cited, with their evidence and history |
| \`case.json\` | The case: details, cited items with annotations, notes, tasks and full history |
| \`governance/checks.json\`, \`governance/checks.csv\` | Every privileged action's governance check (status, reason, each rule) and the raw record ids of the approval ticket, JIT grant and policy decision it was matched with (those records are in raw/ with their proofs); the actions without a matching record |
| \`provenance/batches.json\` | The ingest batches of the raw records: channel, original file name and SHA-256, who ingested it, read/stored/duplicate/quarantined counts, the CSV header row's raw record |
| \`provenance/quarantined.ndjson\` | The quarantined (unreadable) records of those batches, with their bytes and reasons (present when there are any) |
| \`scope.json\` | Time range, platforms, identities, what was left out and why, and the coverage gaps of the case's platforms |
| \`analysis.json\` | The logic version (app version, rule catalog and normalizer hashes), thresholds and settings in force, and the analysis run the verdicts come from |
| \`manifest.json\` | Export time, exporter, counts, checkpoint, and every file with its size and SHA-256 |${
    report
      ? `
| \`report.html\`${report.pdf ? ", \`report.pdf\`" : ""} | The case report: a summary of the files above for people, printable (not itself evidence: the files it summarises are) |`
      : ""
  }
| \`SHA256SUMS\`, \`SHA256SUMS.sig\` | \`sha256sum\` list of every other file, and its signature |
| \`verify.mjs\` | The verifier |

To read one raw record: take its \`offset\` and \`length\` from raw/index.ndjson, then
\`tail -c +$((offset + 1)) raw/records.bin | head -c $length\`. A CSV row is read against its file's header row, a raw
record too (\`csvHeader\` of its batch in provenance/batches.json): \`node verify.mjs --rows rows.ndjson\` writes every
CSV row as {column: value}.

Checkpoint: tree size ${checkpoint.treeSize}, root ${checkpoint.rootHash}, signed ${checkpoint.createdAt}.
`;
}
