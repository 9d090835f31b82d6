import { checkpointNote } from "@/lib/ledger/checkpoint-note";
import type { LedgerCheckpoint } from "@/lib/ledger/checkpoint-row";
import { consistencyFromEveryCheckpoint } from "@/lib/ledger/consistency-proofs";
import { loadKeyRing } from "@/lib/ledger/ledger-keys";
import type { SigningKey } from "@/lib/ledger/signing-key";
import { AppError } from "@/lib/errors";

// The two files of an evidence package that tie it to what the auditor saw before (issue 16, key provenance):
//   keys.json                    every key the ledger was signed with, oldest first, each later one with its rotation
//                                statement signed by the key before it and by itself; the last is public-key.pem
//   proofs/checkpoints.ndjson    every checkpoint of the ledger up to the package's, as signed (note, signature, key),
//                                each with the RFC 9162 consistency proof from its tree size to the package's
// verify.mjs checks the key chain, each checkpoint's signature with the key of its range, the hash chain of the
// notes, and every consistency proof; `--since <earlier checkpoint>` then checks a checkpoint the auditor kept
// (whose root may differ from the one here, if someone forged one) against the proof for its tree size.

/** keys.json: the key chain ending at the package's key. */
export async function keysJson(key: SigningKey): Promise<Buffer> {
  const ring = await loadKeyRing();
  if (ring.problems.length || ring.newest?.fingerprint !== key.fingerprint) {
    throw new AppError(
      "INTERNAL",
      `The ledger's keys do not chain to the signing key: ${ring.problems[0] ?? "the newest key differs"}. Run \`npm run cli -- ledger keys\`.`,
    );
  }
  return Buffer.from(JSON.stringify({ keys: ring.toJson() }, null, 2) + "\n", "utf8");
}

/** proofs/checkpoints.ndjson, one line per checkpoint up to `checkpoint`. */
export async function* checkpointLines(checkpoint: LedgerCheckpoint): AsyncGenerator<string> {
  const all = await consistencyFromEveryCheckpoint({ to: checkpoint });
  let page = "";
  for (const { checkpoint: c, proof } of all) {
    page +=
      JSON.stringify({
        seq: c.seq,
        treeSize: c.treeSize,
        rootHash: c.rootHash.toString("hex"),
        createdAt: c.createdAt.toISOString(),
        keyFingerprint: c.keyFingerprint,
        note: checkpointNote(c).toString("utf8"),
        signature: c.signature.toString("base64"),
        consistency: proof.map((h) => h.toString("hex")),
      }) + "\n";
    if (page.length > 1 << 20) {
      yield page;
      page = "";
    }
  }
  if (page) yield page;
}
