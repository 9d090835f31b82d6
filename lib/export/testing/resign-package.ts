import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

// What a forger with a key of their own does to an unzipped evidence package (tests only): apply `edit`, then make
// the package consistent with itself again under a new Ed25519 key: public-key.pem and keys.json name the new key,
// every checkpoint note (proofs/checkpoints.ndjson, checkpoint.txt) is rewritten to name it, chained again and
// re-signed, the append batches re-signed, and manifest.json, SHA256SUMS and SHA256SUMS.sig recomputed. Every
// self-contained check then passes: only a pinned key (or an earlier checkpoint the auditor kept) shows it.

const sha256 = (b: Buffer | string) => crypto.createHash("sha256").update(b).digest();

export function resignWithNewKey(dir: string, edit: (dir: string) => void = () => undefined): string {
  edit(dir);
  const file = (f: string) => path.join(dir, f);
  const { privateKey, publicKey } = crypto.generateKeyPairSync("ed25519");
  const fingerprint = sha256(publicKey.export({ type: "spki", format: "der" })).toString("hex");
  const pem = publicKey.export({ type: "spki", format: "pem" }).toString();
  const sign = (text: string) => crypto.sign(null, Buffer.from(text), privateKey);
  const renote = (note: string, previous: string | null) => {
    let out = note.replace(/^key [0-9a-f]{16} [0-9a-f]{64}$/m, `key ${fingerprint.slice(0, 16)} ${fingerprint}`);
    if (previous !== null) out = out.replace(/^previous \S+$/m, `previous ${sha256(previous).toString("base64")}`);
    return out;
  };
  fs.writeFileSync(file("public-key.pem"), pem);

  let last = renote(fs.readFileSync(file("checkpoint.txt"), "utf8"), null);
  if (fs.existsSync(file("proofs/checkpoints.ndjson"))) {
    let prev: string | null = null;
    const lines = fs
      .readFileSync(file("proofs/checkpoints.ndjson"), "utf8")
      .trim()
      .split("\n")
      .map((l) => {
        const c = JSON.parse(l);
        c.note = renote(c.note, prev);
        c.signature = sign(c.note).toString("base64");
        c.keyFingerprint = fingerprint;
        prev = c.note;
        return JSON.stringify(c);
      });
    fs.writeFileSync(file("proofs/checkpoints.ndjson"), lines.join("\n") + "\n");
    last = prev!;
  }
  fs.writeFileSync(file("checkpoint.txt"), last);
  fs.writeFileSync(file("checkpoint.sig"), sign(last));
  const cpJson = JSON.parse(fs.readFileSync(file("checkpoint.json"), "utf8"));
  fs.writeFileSync(
    file("checkpoint.json"),
    JSON.stringify(
      { ...cpJson, keyFingerprint: fingerprint, keyId: fingerprint.slice(0, 16), note: last, signature: sign(last).toString("base64") },
      null,
      2,
    ),
  );
  if (fs.existsSync(file("keys.json"))) {
    const key = {
      seq: 1,
      keyId: fingerprint.slice(0, 16),
      fingerprint,
      publicKeyPem: pem,
      createdAt: null,
      afterCheckpoint: 0,
      untilCheckpoint: null,
      rotation: null,
    };
    fs.writeFileSync(file("keys.json"), JSON.stringify({ keys: [key] }, null, 2));
  }
  const batchesFile = file("proofs/append-batches.json");
  const batches = JSON.parse(fs.readFileSync(batchesFile, "utf8")) as { note: string; signature: string; keyFingerprint: string }[];
  for (const b of batches) {
    b.signature = sign(b.note).toString("base64");
    b.keyFingerprint = fingerprint;
  }
  fs.writeFileSync(batchesFile, JSON.stringify(batches, null, 2));
  resum(dir, privateKey);
  return fingerprint;
}

/** Recomputes manifest.json's file hashes and SHA256SUMS after an edit, and signs SHA256SUMS with `privateKey`. */
export function resum(dir: string, privateKey: crypto.KeyObject): void {
  const file = (f: string) => path.join(dir, f);
  const hash = (f: string) => sha256(fs.readFileSync(file(f))).toString("hex");
  const manifest = JSON.parse(fs.readFileSync(file("manifest.json"), "utf8"));
  for (const f of manifest.files) f.sha256 = hash(f.path);
  fs.writeFileSync(file("manifest.json"), JSON.stringify(manifest, null, 2));
  const listed = fs
    .readFileSync(file("SHA256SUMS"), "utf8")
    .trim()
    .split("\n")
    .map((l) => l.slice(66));
  fs.writeFileSync(file("SHA256SUMS"), listed.map((f) => `${hash(f)}  ${f}\n`).join(""));
  fs.writeFileSync(file("SHA256SUMS.sig"), crypto.sign(null, fs.readFileSync(file("SHA256SUMS")), privateKey));
}
