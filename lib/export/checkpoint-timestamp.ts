import crypto from "node:crypto";
import { pool } from "@/lib/db";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { checkpointNote } from "@/lib/ledger/checkpoint-note";
import type { LedgerCheckpoint } from "@/lib/ledger/checkpoint-row";
import { readTimestampReply, timestampRequest } from "./timestamp-der";

// Optional trusted time for an export's checkpoint: when SESSIONPROOF_TSA_URL names an RFC 3161 timestamp authority,
// the SHA-256 of the checkpoint's note (checkpoint.txt) is sent to it (HTTP POST, application/timestamp-query) and
// its reply is kept in checkpoint_timestamp (a later export of the same checkpoint reuses it) and shipped as
// proofs/checkpoint.tsr. The token proves the note (and so the tree it signs) existed at the TSA's time, on the word
// of a third party rather than this installation's clock.
//
// A TSA that cannot be reached, or answers with anything but a token for this note, does not stop the export by
// default: trusted time corroborates the package, it is not what makes it verifiable, and an outage of a third party
// should not block evidence during an incident. The failure is never silent: the package's manifest.json and README
// say the token is missing and why, the case history and audit entry record it, the CLI prints it, and verify.mjs
// given --tsa-cert fails on a package without a token. SESSIONPROOF_TSA_REQUIRED=true makes it fail the export instead.

export type TsaConfig = { url: string | null; required: boolean; timeoutMs: number };

export type CheckpointTimestamp =
  | { status: "stamped"; tsaUrl: string; reply: Buffer; genTime: Date; reused: boolean }
  | { status: "unavailable"; tsaUrl: string; error: string }
  | { status: "not_configured" };

export function tsaFromEnv(): TsaConfig {
  const e = env();
  return { url: e.SESSIONPROOF_TSA_URL ?? null, required: e.SESSIONPROOF_TSA_REQUIRED, timeoutMs: e.SESSIONPROOF_TSA_TIMEOUT_MS };
}

/** One line for people: what the export did about trusted time. */
export function describeTimestamp(t: CheckpointTimestamp): string {
  if (t.status === "not_configured") return "no trusted timestamp (SESSIONPROOF_TSA_URL is not set)";
  if (t.status === "unavailable")
    return `WARNING: no trusted timestamp - the timestamp authority ${t.tsaUrl} failed: ${t.error}. The package is complete and verifiable without it; export again when the TSA answers to add one`;
  return `checkpoint timestamped by ${t.tsaUrl} at ${t.genTime.toISOString()}${t.reused ? " (token kept from an earlier export)" : ""}`;
}

function checkReply(reply: Buffer, hash: Buffer, nonce: Buffer | null): Date {
  const r = readTimestampReply(reply);
  if (r.status > 1) throw new Error(`the TSA refused the request (PKIStatus ${r.status})`);
  if (!r.hashedMessage || !r.genTime) throw new Error("the reply carries no timestamp token");
  if (r.hashAlgorithm !== "sha256" || !r.hashedMessage.equals(hash))
    throw new Error("the token is for another message than the checkpoint note");
  if (nonce && !(r.nonce && r.nonce.equals(nonce))) throw new Error("the token's nonce is not the one sent (a replayed or mixed-up reply)");
  return r.genTime;
}

async function requestToken(url: string, hash: Buffer, timeoutMs: number): Promise<{ reply: Buffer; genTime: Date }> {
  const { der, nonce } = timestampRequest(hash);
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/timestamp-query", accept: "application/timestamp-reply" },
    body: new Uint8Array(der),
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!res.ok) throw new Error(`HTTP ${res.status} ${res.statusText}`.trim());
  const reply = Buffer.from(await res.arrayBuffer());
  return { reply, genTime: checkReply(reply, hash, nonce) };
}

/**
 * The checkpoint's timestamp token from the configured TSA: the one stored for this checkpoint and TSA, otherwise a
 * new one (stored). Unreachable or wrong answers give status "unavailable" with the reason, or throw when required.
 */
export async function timestampCheckpoint({
  checkpoint,
  tsa = tsaFromEnv(),
}: {
  checkpoint: LedgerCheckpoint;
  tsa?: TsaConfig;
}): Promise<CheckpointTimestamp> {
  if (!tsa.url) return { status: "not_configured" };
  const hash = crypto.createHash("sha256").update(checkpointNote(checkpoint)).digest();
  const stored = await pool().query<{ response: Buffer }>(
    `SELECT response FROM checkpoint_timestamp WHERE "checkpointSeq" = $1 AND "tsaUrl" = $2 ORDER BY id DESC LIMIT 1`,
    [checkpoint.seq, tsa.url],
  );
  if (stored.rows[0]) {
    const reply = stored.rows[0].response;
    return { status: "stamped", tsaUrl: tsa.url, reply, genTime: checkReply(reply, hash, null), reused: true };
  }
  try {
    const { reply, genTime } = await requestToken(tsa.url, hash, tsa.timeoutMs);
    await pool().query(`INSERT INTO checkpoint_timestamp ("checkpointSeq", "tsaUrl", response, "genTime") VALUES ($1, $2, $3, $4)`, [
      checkpoint.seq,
      tsa.url,
      reply,
      genTime,
    ]);
    return { status: "stamped", tsaUrl: tsa.url, reply, genTime, reused: false };
  } catch (err) {
    const cause = (err as Error & { cause?: Error }).cause;
    const error = `${(err as Error).message}${cause?.message ? ` (${cause.message})` : ""}`;
    if (tsa.required) {
      throw new AppError(
        "INTERNAL",
        `The timestamp authority ${tsa.url} failed (${error}) and SESSIONPROOF_TSA_REQUIRED is set, so no package was made. Check the TSA, or unset SESSIONPROOF_TSA_REQUIRED to export with a warning instead.`,
      );
    }
    return { status: "unavailable", tsaUrl: tsa.url, error };
  }
}

/** The package README's section on trusted time (appended to lib/export/readme.ts's text). */
export function timestampReadme(t: CheckpointTimestamp): string {
  if (t.status === "not_configured") return "";
  const head = "\n## Trusted time (RFC 3161)\n\n";
  if (t.status === "unavailable")
    return `${head}**No timestamp token.** The timestamp authority ${t.tsaUrl} was asked for one and failed: ${t.error}.
The package is complete and verifies without it, but nothing in it proves when the checkpoint existed beyond this
installation's own clock. \`node verify.mjs --tsa-cert <TSA certificate>\` fails on this package for that reason.
`;
  return `${head}\`proofs/checkpoint.tsr\` is the RFC 3161 timestamp reply of ${t.tsaUrl} over the SHA-256 of \`checkpoint.txt\`,
dated ${t.genTime.toISOString()}: a third party's word that the signed checkpoint (and every record under it) existed
then. Obtain the TSA's certificate (or the CA certificate that issued it) from the TSA, not from this package, then:

\`\`\`sh
node verify.mjs --expect-key "$SESSIONPROOF_KEY" --tsa-cert tsa.pem
openssl ts -verify -in proofs/checkpoint.tsr -data checkpoint.txt -CAfile tsa.pem -untrusted tsa.pem -partial_chain
\`\`\`

\`verify.mjs\` checks in plain Node.js that the token's message imprint is the SHA-256 of \`checkpoint.txt\`, and runs
the \`openssl ts -verify\` command above for the token's signature and certificate chain (OpenSSL must be installed).
`;
}
