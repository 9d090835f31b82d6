#!/usr/bin/env node
// Sessionproof evidence package verifier. Needs nothing but Node.js (>= 18): only node: built-ins, no network.
//
//   node verify.mjs [<folder>] [--expect-key <fingerprint>] [--since <earlier checkpoint>] [--tsa-cert <pem>] [--rows <file>]
//     <folder>                    the unzipped package (default: the folder this file sits in)
//     --expect-key <fingerprint>  the signing key's fingerprint, obtained out of band (Settings, the API, your
//                                 organisation's published value): the package must be signed by that key
//     --since <file>              a checkpoint you kept from before (an earlier package's folder or checkpoint.txt,
//                                 with checkpoint.sig beside it, or a checkpoint JSON from the API or checkpoint.json):
//                                 it must be signed by a key of this ledger, and the package's checkpoint must extend
//                                 it (RFC 9162 consistency proof): nothing you saw then was rewritten or dropped
//     --tsa-cert <pem>            the RFC 3161 timestamp authority's certificate (or its issuing CA), obtained from
//                                 the TSA: the package must carry a timestamp token for its checkpoint signed by it
//     --rows <file>               write every CSV row, rebuilt as {column: value} against its header row, to <file> (NDJSON)
//
// Checks, each reported on its own line:
//   1. files       every line of SHA256SUMS matches its file; no listed file is missing; no unlisted file exists
//   2. sums-sig    SHA256SUMS.sig is an Ed25519 signature of SHA256SUMS by public-key.pem
//   3. checkpoint  checkpoint.sig is an Ed25519 signature of checkpoint.txt by public-key.pem; checkpoint.json agrees
//   4. raw         every record in raw/index.ndjson: its bytes in raw/records.bin hash to its leaf hash
//                  SHA-256(0x00 || bytes); the index covers records.bin exactly
//   4b. csv       every CSV row's header row is in the package (a raw record, checked like the others); each row is
//                  rebuilt as {column: value} against it (see csvRowReader)
//   5. proofs      every raw record has an RFC 9162 inclusion proof (2.1.3.2) that leads to the checkpoint's root
//   6. bindings    every raw record written since append batches exist belongs to a signed append batch: its leaf
//                  hash and the hashes of its normalized events lead to the root its batch signed at ingest
//   7. events      every event in events.ndjson cites a raw record in the package, and its `data` hashes to one of
//                  the event hashes its record's batch signed (an event edited since ingest is named)
//   8. manifest    manifest.json lists the same files and hashes as SHA256SUMS and the counts found here
//   9. timestamp   (when the package has proofs/checkpoint.tsr, or with --tsa-cert) the RFC 3161 token's message
//                  imprint is the SHA-256 of checkpoint.txt (checked here, in plain Node.js); with --tsa-cert its
//                  signature and certificate chain are checked by running `openssl ts -verify` (OpenSSL needed)
//  10. keys        keys.json: every key the ledger was signed with, each later one vouched for by a rotation
//                  statement signed by the key before it (and itself); the last is public-key.pem
//  11. history     proofs/checkpoints.ndjson: every earlier checkpoint is signed by the key of its range (keys.json),
//                  names its predecessor, and is consistent with the package's checkpoint (RFC 9162 2.1.4.2)
//  12. since       (with --since) your earlier checkpoint is signed by a key of the chain and consistent with the
//                  package's checkpoint
//  13. key         (with --expect-key) public-key.pem, the newest key, is the expected key
// Exit code 0 only when every check passes; otherwise the first failure of each check names the file and record.
//
// Why pinning matters: the signatures prove the package is what the holder of public-key.pem signed, and the key
// travels inside the package. Someone who rewrites the package can sign it again with a key of their own, and
// every other check passes. Only a fingerprint obtained elsewhere (SHA-256 of the DER public key, the same as
// `openssl pkey -pubin -in public-key.pem -outform DER | openssl dgst -sha256`) ties the package to the organisation's key.
// After a key rotation, pin the newest key: older keys are accepted only as its vouched-for predecessors (each
// rotation statement is signed by the key it retires, so nobody can append a key of their own to the chain), and
// a pinned key that is not the newest fails, naming the key that signed the package.

import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const SIGNED_FILES = new Set(["SHA256SUMS", "SHA256SUMS.sig"]);
const HEX64 = /^[0-9a-f]{64}$/;

const sha256 = crypto.hash ? (data) => crypto.hash("sha256", data, "buffer") : (data) => crypto.createHash("sha256").update(data).digest();

// SHA-256(0x00 || bytes), through one reused input buffer (grown as needed): no allocation per record.
let leafInput = Buffer.alloc(64 << 10);
function leafHash(bytes) {
  if (leafInput.length < bytes.length + 1) leafInput = Buffer.alloc(bytes.length + 1);
  leafInput[0] = 0x00;
  leafInput.set(bytes, 1);
  return sha256(leafInput.subarray(0, bytes.length + 1));
}

const nodeInput = Buffer.alloc(65);
function hashNodeHex(left, right) {
  nodeInput[0] = 0x01;
  nodeInput.write(left, 1, "hex");
  nodeInput.write(right, 33, "hex");
  return sha256(nodeInput).toString("hex");
}

// RFC 9162 2.1.3.2, step by step (the same algorithm as lib/ledger/merkle.ts verifyInclusion), on lowercase hex.
// Proofs of neighbouring leaves share most of their path, so each call remembers the state (fn, sn, r) before every
// step of the previous proof: when the state before step j and the remaining path entries are exactly the previous
// proof's, the remaining steps are the same pure computation on the same inputs, and its result is reused. Every
// proof is still checked in full by the algorithm; only identical work is not repeated.
const prev = { fn: [], sn: [], r: [], path: [], ok: null, steps: 0, rootHash: null };
function sameRest(proof, j) {
  if (proof.length !== prev.path.length) return false;
  for (let k = proof.length - 1; k >= j; k--) if (proof[k] !== prev.path[k]) return false;
  return true;
}
function verifyInclusion(leafIndex, treeSize, hash, proof, rootHash) {
  if (!Number.isSafeInteger(leafIndex) || !Number.isSafeInteger(treeSize) || leafIndex < 0) return false;
  if (leafIndex >= treeSize || proof.length > 64) return false;
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r = hash;
  const fns = [];
  const sns = [];
  const rs = [];
  let result = null;
  let reused = false;
  for (let j = 0; j < proof.length; j++) {
    if (j < prev.steps && prev.fn[j] === fn && prev.sn[j] === sn && prev.r[j] === r && prev.rootHash === rootHash && sameRest(proof, j)) {
      result = prev.ok;
      reused = true;
      break;
    }
    fns.push(fn);
    sns.push(sn);
    rs.push(r);
    const p = proof[j];
    if (sn === 0) {
      result = false;
      break;
    }
    if (fn % 2 === 1 || fn === sn) {
      r = hashNodeHex(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = hashNodeHex(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (result === null) result = sn === 0 && r === rootHash;
  // This proof's states before each step: those computed here, then (when the tail was reused) the previous
  // proof's from that step on, which are this proof's too.
  for (let j = 0; j < fns.length; j++) {
    prev.fn[j] = fns[j];
    prev.sn[j] = sns[j];
    prev.r[j] = rs[j];
  }
  if (!reused) prev.steps = fns.length;
  prev.path = proof;
  prev.ok = result;
  prev.rootHash = rootHash;
  return result;
}

function listFiles(dir, prefix = "") {
  const out = [];
  for (const d of fs.readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${d.name}` : d.name;
    if (d.isDirectory()) out.push(...listFiles(dir, rel));
    else out.push(rel);
  }
  return out;
}

// SHA-256 of each file, computed in a worker thread (falls back to this thread if workers are unavailable).
const HASH_WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const fs = require("node:fs");
const crypto = require("node:crypto");
const path = require("node:path");
const buf = Buffer.allocUnsafe(4 << 20);
const out = [];
for (const file of workerData.files) {
  const h = crypto.createHash("sha256");
  const fd = fs.openSync(path.join(workerData.dir, file), "r");
  try {
    for (let n; (n = fs.readSync(fd, buf, 0, buf.length, null)) > 0; ) h.update(buf.subarray(0, n));
  } finally {
    fs.closeSync(fd);
  }
  out.push([file, h.digest("hex")]);
}
parentPort.postMessage(out);
`;

async function hashFiles(dir, files) {
  try {
    const { Worker } = await import("node:worker_threads");
    return await new Promise((resolve, reject) => {
      const w = new Worker(HASH_WORKER, { eval: true, workerData: { dir, files } });
      w.once("message", (pairs) => resolve(new Map(pairs)));
      w.once("error", reject);
    });
  } catch {
    const out = new Map();
    for (const file of files) {
      const h = crypto.createHash("sha256");
      for await (const chunk of fs.createReadStream(path.join(dir, file), { highWaterMark: 1 << 20 })) h.update(chunk);
      out.set(file, h.digest("hex"));
    }
    return out;
  }
}

// Lines of a (possibly large) text file, read in 4 MB blocks; yields [lineNumber, line], or with `bytes`
// [lineNumber, buffer, start, end] so that a caller needing only the start of each line decodes only that.
async function* lines(file, bytes = false) {
  let rest = Buffer.alloc(0);
  let n = 0;
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 4 << 20 })) {
    const buf = rest.length ? Buffer.concat([rest, chunk]) : chunk;
    let start = 0;
    for (let nl = buf.indexOf(10, start); nl !== -1; nl = buf.indexOf(10, start)) {
      n++;
      if (nl > start) yield bytes ? [n, buf, start, nl] : [n, buf.toString("utf8", start, nl)];
      start = nl + 1;
    }
    rest = buf.subarray(start);
  }
  if (rest.length) yield bytes ? [n + 1, rest, 0, rest.length] : [n + 1, rest.toString("utf8")];
}

// The lines this program's exporter writes have a fixed shape; they are read with one anchored pattern, and
// anything else falls back to JSON.parse (so a hand-edited but valid line is judged on its content, not its form).
const PROOF_LINE =
  /^\{"rawRecordId":"(\d+)","leafIndex":(\d+),"treeSize":(\d+),"leafHash":"([0-9a-f]{64})","path":\[((?:"[0-9a-f]{64}",)*"[0-9a-f]{64}")?\]\}$/;
const EVENT_PREFIX = /^\{"id":"(\d+)","rawRecordId":"(\d+)",/;
const DATA_KEY = Buffer.from(',"data":', "latin1");
const INDEX_LINE =
  /^\{"rawRecordId":"(\d+)","leafIndex":(\d+),"offset":(\d+|null),"length":(\d+|null),"purged":(true|false),"sourceId":"[^"\\]*","fileName":"(?:[^"\\]|\\.)*","position":"\d+","receivedAt":"[^"\\]*","contentHash":"([0-9a-f]{64})","leafHash":"([0-9a-f]{64})"(?:,"batchId":(?:"([0-9a-f-]{36})"|null))?\}$/;

function parseIndexLine(line) {
  const m = INDEX_LINE.exec(line);
  if (!m) return JSON.parse(line);
  const num = (v) => (v === "null" ? null : Number(v));
  return {
    rawRecordId: m[1],
    leafIndex: Number(m[2]),
    offset: num(m[3]),
    length: num(m[4]),
    purged: m[5] === "true",
    contentHash: m[6],
    leafHash: m[7],
    batchId: m[8] ?? null,
  };
}

const APPEND_LINE =
  /^\{"rawRecordId":"(\d+)","leafIndex":(\d+),"batch":(\d+),"eventHashes":\[((?:"[0-9a-f]{64}",)*"[0-9a-f]{64}")?\],"path":\[((?:"[0-9a-f]{64}",)*"[0-9a-f]{64}")?\]\}$/;
// The hashes of a list the patterns above matched ("<64 hex>","<64 hex>",...), without quotes and commas.
const hexList = (s) => {
  const out = [];
  if (s) for (let i = 1; i < s.length; i += 67) out.push(s.slice(i, i + 64));
  return out;
};

function parseAppendLine(line) {
  const m = APPEND_LINE.exec(line);
  if (m)
    return {
      rawRecordId: m[1],
      leafIndex: Number(m[2]),
      batch: Number(m[3]),
      eventHashes: hexList(m[4]),
      path: hexList(m[5]),
      checked: true,
    };
  return unchecked(JSON.parse(line));
}

// A line that did not match the fixed pattern is judged field by field: it cannot claim to have been checked.
function unchecked(o) {
  if (o && typeof o === "object") delete o.checked;
  return o;
}

function parseProofLine(line) {
  const m = PROOF_LINE.exec(line);
  if (m) return { rawRecordId: m[1], leafIndex: Number(m[2]), treeSize: Number(m[3]), leafHash: m[4], path: hexList(m[5]), checked: true };
  return unchecked(JSON.parse(line));
}

// RFC 3161: the message imprint, time and status of a DER TimeStampResp (proofs/checkpoint.tsr). Only what the
// imprint check needs is read; the CMS signature is left to `openssl ts -verify` (checkTimestamp below).
function derChildren(buf) {
  const out = [];
  for (let at = 0; at < buf.length;) {
    if (at + 2 > buf.length) throw new Error("truncated DER");
    let len = buf[at + 1];
    let start = at + 2;
    if (len & 0x80) {
      const n = len & 0x7f;
      if (n === 0 || n > 4) throw new Error("bad DER length");
      len = 0;
      for (let i = 0; i < n; i++) len = len * 256 + buf[start + i];
      start += n;
    }
    if (start + len > buf.length) throw new Error("truncated DER");
    out.push({ tag: buf[at], content: buf.subarray(start, start + len) });
    at = start + len;
  }
  return out;
}

export function readTimestampReply(der) {
  const [resp] = derChildren(der);
  const [statusInfo, token] = derChildren(resp.content);
  const status = derChildren(statusInfo.content)[0].content.readUIntBE(0, 1);
  if (!token) return { status, imprint: null };
  const signedData = derChildren(derChildren(token.content)[1].content)[0];
  const [contentType, explicit] = derChildren(derChildren(signedData.content)[2].content);
  if (contentType.content.toString("hex") !== "2a864886f70d0109100104") throw new Error("the token's content is not a TSTInfo");
  const tst = derChildren(derChildren(derChildren(explicit.content)[0].content)[0].content);
  const [alg, hashed] = derChildren(tst[2].content);
  const sha256Alg = derChildren(alg.content)[0].content.toString("hex") === "608648016503040201";
  const t = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\.\d+)?Z$/.exec(tst[4].content.toString("latin1"));
  const genTime = t ? `${t[1]}-${t[2]}-${t[3]}T${t[4]}:${t[5]}:${t[6]}${t[7] ?? ""}Z` : tst[4].content.toString("latin1");
  return { status, imprint: { algorithm: sha256Alg ? "sha256" : "other", hash: hashed.content.toString("hex") }, genTime };
}

// The trusted-time check: the token must be for this checkpoint note (imprint), and with a TSA certificate, signed
// by that TSA (openssl). A package without a token passes only when no certificate was given; manifest.json says why.
function checkTimestamp(dir, tsaCert) {
  const tsr = path.join(dir, "proofs/checkpoint.tsr");
  let declared = null;
  try {
    declared = JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8")).timestamp ?? null;
  } catch {
    // the manifest check reports an unreadable manifest
  }
  if (!fs.existsSync(tsr)) {
    const why =
      declared?.status === "unavailable"
        ? `the timestamp authority ${declared.tsaUrl} failed at export (${declared.error})`
        : "no timestamp authority was configured at export";
    if (tsaCert) return { ok: false, detail: `proofs/checkpoint.tsr: missing - the package has no trusted timestamp: ${why}` };
    if (declared?.status === "unavailable") return { ok: true, detail: `WARNING: no trusted timestamp: ${why}` };
    return null;
  }
  let r;
  try {
    r = readTimestampReply(fs.readFileSync(tsr));
  } catch (e) {
    return { ok: false, detail: `proofs/checkpoint.tsr: not an RFC 3161 timestamp reply (${e.message})` };
  }
  if (r.status > 1 || !r.imprint) return { ok: false, detail: `proofs/checkpoint.tsr: the TSA refused (status ${r.status}); no token` };
  if (!fs.existsSync(path.join(dir, "checkpoint.txt")))
    return { ok: false, detail: "checkpoint.txt: missing - the token cannot be checked" };
  const noteHash = sha256(fs.readFileSync(path.join(dir, "checkpoint.txt"))).toString("hex");
  if (r.imprint.algorithm !== "sha256" || r.imprint.hash !== noteHash)
    return {
      ok: false,
      detail: `proofs/checkpoint.tsr: the token's message imprint ${r.imprint.hash} is not the SHA-256 of checkpoint.txt (${noteHash}) - it timestamps another note`,
    };
  const stamped = `the token of ${r.genTime} is for checkpoint.txt (imprint SHA-256 ${noteHash})`;
  if (!tsaCert) return { ok: true, detail: `${stamped}; its signature was NOT checked: run again with --tsa-cert <the TSA's certificate>` };
  if (!fs.existsSync(tsaCert)) return { ok: false, detail: `--tsa-cert ${tsaCert}: no such file` };
  const args = [
    "ts",
    "-verify",
    "-in",
    tsr,
    "-data",
    path.join(dir, "checkpoint.txt"),
    "-CAfile",
    tsaCert,
    "-untrusted",
    tsaCert,
    "-partial_chain",
  ];
  const o = spawnSync("openssl", args, { encoding: "utf8" });
  if (o.error)
    return {
      ok: false,
      detail: `--tsa-cert: the token's signature is checked with OpenSSL (\`openssl ts -verify\`), which could not be run (${o.error.code ?? o.error.message}): install OpenSSL, or run without --tsa-cert`,
    };
  if (o.status !== 0 || !/Verification: OK/.test(o.stdout)) {
    const reason = `${o.stdout}${o.stderr}`.split("\n").find((l) => /error|FAILED/i.test(l)) ?? `exit code ${o.status}`;
    return {
      ok: false,
      detail: `proofs/checkpoint.tsr: the token is not signed by the TSA of ${tsaCert} (openssl ts -verify: ${reason.trim()})`,
    };
  }
  return { ok: true, detail: `${stamped}, signed by the TSA of ${tsaCert} (checked with openssl ts -verify)` };
}

/** A fingerprint as people write it: "SHA256:<hex>", bare hex, upper case, with colons or spaces. */
export function normalizeFingerprint(text) {
  const hex = String(text)
    .trim()
    .replace(/^sha-?256:/i, "")
    .replace(/[\s:]/g, "")
    .toLowerCase();
  return HEX64.test(hex) ? hex : null;
}

const fingerprintOf = (publicKey) => sha256(publicKey.export({ type: "spki", format: "der" })).toString("hex");
const B64_HASH = "[A-Za-z0-9+/]{43}=";
const NOTE_V1 = new RegExp(`^sessionproof-checkpoint/v1\n(\\d+)\n(${B64_HASH})\n(\\S+)\n$`);
const NOTE_V23 = new RegExp(
  `^sessionproof-checkpoint/v([23])\nseq (\\d+)\nsize (\\d+)\nroot (${B64_HASH})\ntime (\\S+)\nprevious (${B64_HASH}|none)\nbatches (\\d+)\n` +
    `(?:key ([0-9a-f]{16}) ([0-9a-f]{64})\n)?$`,
);

/** A checkpoint note (lib/ledger/checkpoint-note.ts, versions 1 to 3) read into its fields, or null. */
export function parseCheckpointNote(text) {
  const v1 = NOTE_V1.exec(text);
  if (v1)
    return {
      version: 1,
      seq: null,
      treeSize: Number(v1[1]),
      rootHash: Buffer.from(v1[2], "base64"),
      createdAt: v1[3],
      batches: 0,
      key: null,
    };
  const m = NOTE_V23.exec(text);
  if (!m || (m[1] === "3") !== (m[8] !== undefined) || (m[8] !== undefined && m[9].slice(0, 16) !== m[8])) return null;
  return {
    version: Number(m[1]),
    seq: Number(m[2]),
    treeSize: Number(m[3]),
    rootHash: Buffer.from(m[4], "base64"),
    createdAt: m[5],
    previous: m[6] === "none" ? null : m[6],
    batches: Number(m[7]),
    key: m[9] ?? null,
  };
}

const nodeOf = (left, right) => sha256(Buffer.concat([Buffer.from([1]), left, right]));

/** RFC 9162 2.1.4.2 (the same algorithm as lib/ledger/merkle.ts verifyConsistency), on buffers. */
export function verifyConsistency(firstSize, secondSize, firstRoot, secondRoot, proof) {
  if (!Number.isSafeInteger(firstSize) || !Number.isSafeInteger(secondSize) || firstSize < 0 || firstSize > secondSize) return false;
  if (proof.length > 128 || ![firstRoot, secondRoot, ...proof].every((h) => Buffer.isBuffer(h) && h.length === 32)) return false;
  if (firstSize === secondSize) return proof.length === 0 && firstRoot.equals(secondRoot);
  if (firstSize === 0) return proof.length === 0 && firstRoot.equals(sha256(Buffer.alloc(0)));
  if (proof.length === 0) return false;
  let p = firstSize;
  while (p % 2 === 0) p /= 2;
  const path = p === 1 ? [firstRoot, ...proof] : proof;
  let fn = firstSize - 1;
  let sn = secondSize - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeOf(c, fr);
      sr = nodeOf(c, sr);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      sr = nodeOf(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && fr.equals(firstRoot) && sr.equals(secondRoot);
}

const verifies = (data, publicKey, signature) => {
  try {
    return crypto.verify(null, data, publicKey, signature);
  } catch {
    return false;
  }
};

/**
 * keys.json: the chain of keys (lib/ledger/ledger-keys.ts). Key 1 has no rotation statement; each later key's
 * statement names the key before it and itself and the last checkpoint the old key signs, and is signed by both.
 * Returns the keys with the checkpoint range each signs, and the problems found.
 */
function readKeyChain(list, packageFingerprint) {
  const keys = [];
  const problems = [];
  if (!Array.isArray(list) || list.length === 0) return { keys, problems: ["keys.json: not a list of keys"] };
  for (const [i, k] of list.entries()) {
    let publicKey;
    try {
      publicKey = crypto.createPublicKey(String(k.publicKeyPem));
    } catch {
      problems.push(`keys.json: key #${i + 1} is not a readable public key`);
      break;
    }
    const fingerprint = fingerprintOf(publicKey);
    const prev = keys[keys.length - 1];
    const after = prev ? k.afterCheckpoint : 0;
    if (k.seq !== i + 1 || k.fingerprint !== fingerprint)
      problems.push(`keys.json: key #${i + 1} is not numbered ${i + 1} or its fingerprint is not its PEM's`);
    if (prev) {
      const note =
        `sessionproof-key-rotation/v1\nfrom ${prev.fingerprint.slice(0, 16)} ${prev.fingerprint}\nto ${fingerprint.slice(0, 16)} ${fingerprint}\n` +
        `after-checkpoint ${after}\ntime ${k.createdAt}\n`;
      const r = k.rotation;
      if (!r || r.note !== note || !Number.isSafeInteger(after) || after < prev.after)
        problems.push(
          `keys.json: key #${i + 1} (${fingerprint.slice(0, 16)}) has no rotation statement naming key #${i} and itself - it is not vouched for`,
        );
      else if (!verifies(Buffer.from(note), prev.publicKey, Buffer.from(String(r.previousKeySignature), "base64")))
        problems.push(
          `keys.json: the rotation to key #${i + 1} (${fingerprint.slice(0, 16)}) is not signed by key #${i} (${prev.keyId}) - a key was added, not rotated`,
        );
      else if (!verifies(Buffer.from(note), publicKey, Buffer.from(String(r.newKeySignature), "base64")))
        problems.push(`keys.json: the rotation to key #${i + 1} is not signed by the new key itself`);
      prev.until = after;
    } else if (k.rotation) problems.push("keys.json: the first key has a rotation statement");
    keys.push({ seq: i + 1, keyId: fingerprint.slice(0, 16), fingerprint, publicKey, after, until: null });
  }
  const newest = keys[keys.length - 1];
  if (newest && packageFingerprint && newest.fingerprint !== packageFingerprint)
    problems.push(`keys.json: the newest key is ${newest.fingerprint}, not public-key.pem's ${packageFingerprint}`);
  return { keys, problems };
}

const keyForCheckpoint = (keys, seq) => keys.find((k) => seq > k.after && (k.until === null || seq <= k.until));
const keyForBatch = (keys, fingerprint, afterCheckpoint) =>
  keys.find((k) => k.fingerprint === fingerprint && afterCheckpoint >= k.after && (k.until === null || afterCheckpoint <= k.until));
const describeKeys = (keys) =>
  keys.map((k) => `key ${k.keyId} signs checkpoints #${k.after + 1}${k.until === null ? " on" : `-#${k.until}`}`).join(", ");

/** An earlier checkpoint as the auditor kept it: an earlier package's folder, a checkpoint.txt (+ .sig), or JSON. */
function readEarlierCheckpoint(file) {
  let stat;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new Error(`${file}: no such file or folder`);
  }
  if (stat.isDirectory()) return readEarlierCheckpoint(path.join(file, "checkpoint.txt"));
  const text = fs.readFileSync(file);
  if (text[0] === 0x7b) {
    let j;
    try {
      j = JSON.parse(text.toString("utf8"));
    } catch (e) {
      throw new Error(`${file}: not valid JSON (${e.message})`);
    }
    const cp = [j, j?.checkpoint, j?.from].find((c) => c && typeof c.note === "string" && typeof c.signature === "string");
    if (!cp)
      throw new Error(`${file}: no checkpoint in it (a JSON object with "note" and "signature", as checkpoint.json or the API give)`);
    return { note: Buffer.from(cp.note, "utf8"), signature: Buffer.from(cp.signature, "base64") };
  }
  const sig = file.replace(/\.txt$/, "") + ".sig";
  if (!fs.existsSync(sig)) throw new Error(`${sig}: missing (the signature of ${file} must sit beside it)`);
  return { note: text, signature: fs.readFileSync(sig) };
}

// CSV rows (check "csv"): a CSV file's rows are raw records whose batch (raw/index.ndjson batchId) has a header row,
// itself a raw record of the package (provenance/batches.json csvHeader.rawRecordId), or for batches ingested before
// header rows entered the ledger the header text the batch table kept (inLedger false). Each row is rebuilt as
// {column name: value} against its header, the way Sessionproof read it at ingest (RFC 4180 fields; column names
// trimmed, a repeated name suffixed _2, _3, ...; a leading byte order mark dropped); with --rows <file> the rows are
// written there as NDJSON. A header record that is missing, or a row whose field count is not its header's, fails.

/** The fields of one CSV row (RFC 4180: "" is a quote inside a quoted field; line breaks may sit inside quotes). */
function csvFields(text) {
  const out = [];
  let i = 0;
  for (;;) {
    let field = "";
    if (text[i] === '"') {
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q === -1) throw new Error("a quoted field is not closed");
        field += text.slice(i, q);
        if (text[q + 1] === '"') {
          field += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      if (i < text.length && text[i] !== ",") throw new Error(`a character after a closing quote (column ${out.length + 1})`);
    } else {
      const comma = text.indexOf(",", i);
      const end = comma === -1 ? text.length : comma;
      field = text.slice(i, end);
      i = end;
    }
    out.push(field);
    if (i >= text.length) return out;
    i++; // the comma
  }
}

function csvColumnNames(headerBytes) {
  let b = headerBytes;
  if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) b = b.subarray(3);
  const seen = new Map();
  return csvFields(b.toString("utf8")).map((raw) => {
    const base = raw.trim() || "column";
    const k = (seen.get(base) ?? 0) + 1;
    seen.set(base, k);
    return k === 1 ? base : `${base}_${k}`;
  });
}

/** Collects the CSV rows and header records as raw/records.bin is read; `finish` reports the check. */
function csvRowReader(dir, rowsOut) {
  const batches = new Map(); // batchId -> { fileName, headerId, names, inLedger, pending: [[id, bytes]] }
  const headerOf = new Map(); // header raw record id -> its batches
  const problems = [];
  let rows = 0;
  let unreadable = 0;
  let legacy = 0;
  let out = null;
  let buffered = [];
  const file = path.join(dir, "provenance/batches.json");
  if (!fs.existsSync(file)) return null;
  try {
    const doc = JSON.parse(fs.readFileSync(file, "utf8"));
    for (const b of doc.batches ?? []) {
      const h = b.csvHeader;
      if (!h) continue;
      const entry = {
        batchId: b.batchId,
        fileName: b.file?.name,
        headerId: h.rawRecordId ?? null,
        names: null,
        inLedger: !!h.inLedger,
        pending: [],
      };
      if (h.inLedger) {
        if (!headerOf.has(String(h.rawRecordId))) headerOf.set(String(h.rawRecordId), []);
        headerOf.get(String(h.rawRecordId)).push(entry);
      } else if (typeof h.text === "string") entry.names = csvColumnNames(Buffer.from(h.text, "utf8"));
      batches.set(b.batchId, entry);
    }
  } catch (e) {
    problems.push(`provenance/batches.json: not readable (${e.message})`);
  }
  if (rowsOut) out = fs.openSync(rowsOut, "w");
  const flush = () => {
    if (out !== null && buffered.length) fs.writeSync(out, buffered.join(""));
    buffered = [];
  };
  const emit = (id, entry, bytes) => {
    let fields;
    try {
      fields = csvFields(bytes.toString("utf8"));
    } catch (e) {
      problems.push(`raw record ${id} (${entry.fileName}): not a CSV row (${e.message})`);
      return;
    }
    if (fields.length !== entry.names.length) {
      problems.push(
        `raw record ${id} (${entry.fileName}): ${fields.length} fields, its header ${entry.headerId ? `(raw record ${entry.headerId}) ` : ""}has ${entry.names.length} - the row is not read against its own header`,
      );
      return;
    }
    rows++;
    if (!entry.inLedger) legacy++;
    if (out === null) return;
    const row = {};
    for (let k = 0; k < fields.length; k++) row[entry.names[k]] = fields[k];
    buffered.push(
      JSON.stringify({
        rawRecordId: id,
        batchId: entry.batchId,
        fileName: entry.fileName,
        headerRawRecordId: entry.headerId,
        headerInLedger: entry.inLedger,
        row,
      }) + "\n",
    );
    if (buffered.length >= 1000) flush();
  };
  return {
    /** One record of raw/records.bin (bytes null: purged). */
    record(r, bytes) {
      const headed = headerOf.get(r.rawRecordId);
      if (headed) {
        for (const entry of headed) {
          entry.seen = true;
          if (bytes === null) {
            // Purged by retention: its rows cannot be named (nor can those still to come).
            unreadable += entry.pending.length;
            entry.pending = [];
            continue;
          }
          entry.names = csvColumnNames(bytes);
          for (const [id, b] of entry.pending) emit(id, entry, b);
          entry.pending = [];
        }
        return;
      }
      const entry = r.batchId ? batches.get(r.batchId) : undefined;
      if (!entry) return;
      if (bytes === null) return;
      if (entry.names) emit(r.rawRecordId, entry, bytes);
      else if (entry.inLedger && !entry.seen) entry.pending.push([r.rawRecordId, Buffer.from(bytes)]);
      else unreadable++;
    },
    finish(report) {
      for (const entry of batches.values()) {
        if (!entry.inLedger || entry.seen) continue;
        const ids = entry.pending.map(([id]) => id);
        problems.push(
          `raw/index.ndjson: the header row of ${entry.fileName} (batch ${entry.batchId}) is raw record ${entry.headerId}, which is not in the package - ` +
            `${ids.length} of its rows cannot be read${ids.length ? ` (raw records ${ids.slice(0, 5).join(", ")}${ids.length > 5 ? ", ..." : ""})` : ""}`,
        );
      }
      flush();
      if (out !== null) fs.closeSync(out);
      report(
        "csv",
        problems.length === 0,
        problems.length
          ? problems.slice(0, 20)
          : `${rows} CSV rows rebuilt as named objects against their header rows` +
              (legacy ? ` (${legacy} against a header from the batch table, not ledger-proven)` : "") +
              (unreadable ? ` (${unreadable} whose header was purged by retention: not rebuilt)` : "") +
              (rowsOut ? `, written to ${rowsOut}` : ""),
      );
    },
  };
}

export async function verifyPackage(dir, { expectKey = null, since = null, tsaCert = null, rowsOut = null } = {}) {
  const results = [];
  const report = (name, ok, detail) => results.push({ name, ok, detail });
  const exists = (rel) => fs.existsSync(path.join(dir, rel));
  const read = (rel) => fs.readFileSync(path.join(dir, rel));

  // 1. files. The hashing runs in a worker thread, alongside the record and proof checks below.
  const sums = new Map();
  const fileProblems = [];
  let hashing = Promise.resolve(new Map());
  const present = new Set(listFiles(dir));
  if (!exists("SHA256SUMS")) {
    fileProblems.push("SHA256SUMS: missing - the package is incomplete");
  } else {
    const text = read("SHA256SUMS").toString("utf8");
    if (!text.endsWith("\n")) fileProblems.push("SHA256SUMS: the last line is not terminated (SHA256SUMS was altered)");
    text.split("\n").forEach((line, i) => {
      if (line === "") return;
      const m = /^([0-9a-f]{64}) {2}(\S.*)$/.exec(line);
      if (!m) fileProblems.push(`SHA256SUMS: line ${i + 1} is not "<sha256>  <file>" (SHA256SUMS was altered)`);
      else if (sums.has(m[2])) fileProblems.push(`SHA256SUMS: ${m[2]} is listed twice (SHA256SUMS was altered)`);
      else sums.set(m[2], m[1]);
    });
    const toHash = [];
    for (const file of sums.keys()) {
      if (file.split("/").includes("..") || path.isAbsolute(file))
        fileProblems.push(`SHA256SUMS: ${file} points outside the package (SHA256SUMS was altered)`);
      else if (!present.has(file)) fileProblems.push(`${file}: missing (listed in SHA256SUMS)`);
      else toHash.push(file);
    }
    hashing = hashFiles(dir, toHash);
  }
  // The public key everything else is checked with.
  let publicKey = null;
  let fingerprint = null;
  if (!exists("public-key.pem")) report("public-key", false, "public-key.pem: missing");
  else {
    try {
      publicKey = crypto.createPublicKey(read("public-key.pem"));
      if (publicKey.asymmetricKeyType !== "ed25519") throw new Error(`a ${publicKey.asymmetricKeyType} key, not Ed25519`);
      fingerprint = fingerprintOf(publicKey);
      report("public-key", true, `Ed25519 key ${fingerprint.slice(0, 16)} (fingerprint ${fingerprint})`);
    } catch (e) {
      publicKey = null;
      report("public-key", false, `public-key.pem: not a readable Ed25519 public key (${e.message})`);
    }
  }
  const verifySig = (msgFile, sigFile) => {
    if (!exists(msgFile)) return `${msgFile}: missing`;
    if (!exists(sigFile)) return `${sigFile}: missing`;
    if (!publicKey) return `${sigFile}: cannot be checked without a valid public-key.pem`;
    try {
      if (crypto.verify(null, read(msgFile), publicKey, read(sigFile))) return null;
    } catch {
      // a signature of the wrong length throws: the same verdict as a wrong one
    }
    return `${sigFile}: the signature of ${msgFile} does not verify with public-key.pem (${msgFile}, ${sigFile} or public-key.pem was changed)`;
  };

  // 2. sums-sig
  const sumsSig = verifySig("SHA256SUMS", "SHA256SUMS.sig");
  report("sums-sig", !sumsSig, sumsSig ?? "SHA256SUMS is signed by the ledger key");

  // 3. checkpoint
  let checkpoint = null;
  {
    const problems = [];
    const cpSig = verifySig("checkpoint.txt", "checkpoint.sig");
    if (cpSig) problems.push(cpSig);
    if (exists("checkpoint.txt")) {
      checkpoint = parseCheckpointNote(read("checkpoint.txt").toString("utf8"));
      if (!checkpoint) problems.push("checkpoint.txt: not a sessionproof-checkpoint note (v1, v2 or v3)");
      else if (checkpoint.key && fingerprint && checkpoint.key !== fingerprint)
        problems.push(`checkpoint.txt: names key ${checkpoint.key}, but public-key.pem is ${fingerprint}`);
    }
    if (checkpoint) {
      if (!exists("checkpoint.json")) problems.push("checkpoint.json: missing");
      else {
        try {
          const j = JSON.parse(read("checkpoint.json").toString("utf8"));
          if (
            j.treeSize !== checkpoint.treeSize ||
            j.rootHash !== checkpoint.rootHash.toString("hex") ||
            j.createdAt !== checkpoint.createdAt ||
            (checkpoint.version >= 2 && (j.seq !== checkpoint.seq || j.batches !== checkpoint.batches))
          ) {
            problems.push("checkpoint.json: sequence number, tree size, root, time or batch count differ from the signed checkpoint.txt");
          }
          if (fingerprint && normalizeFingerprint(j.keyFingerprint) !== fingerprint)
            problems.push(`checkpoint.json: key fingerprint ${j.keyFingerprint} is not public-key.pem's ${fingerprint}`);
        } catch (e) {
          problems.push(`checkpoint.json: not valid JSON (${e.message})`);
        }
      }
    }
    report(
      "checkpoint",
      problems.length === 0,
      problems.length
        ? problems
        : `signed tree head${checkpoint.seq ? ` #${checkpoint.seq}` : ""}: size ${checkpoint.treeSize}, root ${checkpoint.rootHash.toString("hex")}, ${checkpoint.createdAt}`,
    );
  }

  // 10. keys: the chain of keys the ledger was signed with (keys.json; packages before key rotation existed have none:
  // then public-key.pem is the only key).
  let chain = publicKey ? [{ seq: 1, keyId: fingerprint.slice(0, 16), fingerprint, publicKey, after: 0, until: null }] : [];
  if (exists("keys.json")) {
    let parsed = null;
    try {
      parsed = JSON.parse(read("keys.json").toString("utf8"));
    } catch (e) {
      report("keys", false, `keys.json: not valid JSON (${e.message})`);
    }
    if (parsed) {
      const { keys, problems } = readKeyChain(parsed.keys, fingerprint);
      if (problems.length === 0) chain = keys;
      report(
        "keys",
        problems.length === 0,
        problems.length
          ? problems
          : keys.length === 1
            ? `one signing key (${keys[0].keyId}), never rotated`
            : `${keys.length} keys, each rotation signed by the key it retires and the new key: ${describeKeys(keys)}`,
      );
    }
  }

  // 11. history: every earlier checkpoint, signed by the key of its range, chained, consistent with the package's.
  const history = new Map(); // tree size -> consistency proof to the package's checkpoint
  const historyBySeq = new Map(); // seq -> note text
  if (exists("proofs/checkpoints.ndjson")) {
    const problems = [];
    const ranges = [];
    let prev = null;
    let count = 0;
    if (!checkpoint) problems.push("proofs/checkpoints.ndjson: cannot be checked without a valid checkpoint.txt");
    else {
      for await (const [n, line] of lines(path.join(dir, "proofs/checkpoints.ndjson"))) {
        let c;
        try {
          c = JSON.parse(line);
        } catch {
          problems.push(`proofs/checkpoints.ndjson: line ${n} is not JSON`);
          break;
        }
        const where = `proofs/checkpoints.ndjson line ${n} (checkpoint #${c.seq})`;
        const note = typeof c.note === "string" ? parseCheckpointNote(c.note) : null;
        const proof =
          Array.isArray(c.consistency) && c.consistency.every((h) => HEX64.test(h))
            ? c.consistency.map((h) => Buffer.from(h, "hex"))
            : null;
        const seq = note?.seq ?? c.seq;
        if (!note || !proof || !Number.isSafeInteger(seq)) {
          problems.push(`${where}: not a signed checkpoint with a consistency proof`);
          break;
        }
        count++;
        if (seq !== (prev ? prev.seq + 1 : 1))
          problems.push(`${where}: checkpoints are numbered without gaps, expected #${prev ? prev.seq + 1 : 1} (one was removed)`);
        const key = keyForCheckpoint(chain, seq);
        const named = note.key ?? normalizeFingerprint(c.keyFingerprint);
        if (!key || named !== key.fingerprint)
          problems.push(
            `${where}: signed by key ${named}, but ${key ? `checkpoint #${seq} is key ${key.keyId}'s (${describeKeys(chain)})` : "no key of keys.json signs it"}`,
          );
        else if (!verifies(Buffer.from(c.note), key.publicKey, Buffer.from(String(c.signature), "base64")))
          problems.push(`${where}: the signature does not verify with key ${key.keyId} (the checkpoint was changed or forged)`);
        else {
          const last = ranges[ranges.length - 1];
          if (last && last.key === key) last.to = seq;
          else ranges.push({ key, from: seq, to: seq });
        }
        if (prev && note.version >= 2 && note.previous !== sha256(Buffer.from(prev.note)).toString("base64"))
          problems.push(`${where}: does not name checkpoint #${prev.seq} as its predecessor (the chain of checkpoints was rewritten)`);
        if (!verifyConsistency(note.treeSize, checkpoint.treeSize, note.rootHash, checkpoint.rootHash, proof))
          problems.push(
            `${where}: its root (tree size ${note.treeSize}) is not consistent with the package's checkpoint - the ledger was rewritten since`,
          );
        history.set(note.treeSize, proof);
        historyBySeq.set(seq, c.note);
        prev = { seq, note: c.note };
        if (problems.length >= 20) break;
      }
      if (problems.length === 0 && (!prev || prev.note !== read("checkpoint.txt").toString("utf8")))
        problems.push("proofs/checkpoints.ndjson: does not end with the package's checkpoint.txt");
    }
    report(
      "history",
      problems.length === 0,
      problems.length
        ? problems
        : `${count} checkpoints, each signed, chained and consistent with the package's: ` +
            ranges.map((r) => `#${r.from}${r.to > r.from ? `-#${r.to}` : ""} by key ${r.key.keyId}`).join(", ") +
            (ranges.length > 1 ? ` (the chain crosses ${ranges.length - 1} key rotation${ranges.length > 2 ? "s" : ""})` : ""),
    );
  }

  // 12. since: a checkpoint the auditor kept from before.
  if (since !== null && since !== undefined) {
    const problem = (() => {
      let earlier;
      try {
        earlier = readEarlierCheckpoint(since);
      } catch (e) {
        return e.message;
      }
      const text = earlier.note.toString("utf8");
      const note = parseCheckpointNote(text);
      if (!note) return `${since}: not a sessionproof checkpoint note`;
      if (!checkpoint) return "cannot be checked without a valid checkpoint.txt";
      const candidates = note.key ? chain.filter((k) => k.fingerprint === note.key) : chain;
      const key = candidates.find((k) => verifies(earlier.note, k.publicKey, earlier.signature));
      if (!key)
        return `${since}: its signature does not verify with ${note.key ? `the key it names (${note.key}), which is not a key of this package's ledger` : "any key of this package's ledger"} - forged, or another ledger's`;
      if (note.seq !== null && keyForCheckpoint(chain, note.seq) !== key)
        return `${since}: checkpoint #${note.seq} is signed by key ${key.keyId}, but that key does not sign #${note.seq} (${describeKeys(chain)})`;
      const where = `your checkpoint${note.seq ? ` #${note.seq}` : ""} (tree size ${note.treeSize}, root ${note.rootHash.toString("hex")})`;
      if (note.treeSize > checkpoint.treeSize)
        return `${where} is newer than the package's checkpoint (tree size ${checkpoint.treeSize}): export again`;
      if (note.seq !== null && historyBySeq.has(note.seq) && historyBySeq.get(note.seq) !== text)
        return `${where} differs from the checkpoint #${note.seq} the ledger signed in this package: the ledger signed two different histories`;
      const proof = note.treeSize === checkpoint.treeSize ? [] : history.get(note.treeSize);
      if (!proof)
        return `the package carries no consistency proof from tree size ${note.treeSize} (proofs/checkpoints.ndjson${exists("proofs/checkpoints.ndjson") ? " has no checkpoint of that size" : " is missing: an older package"})`;
      if (!verifyConsistency(note.treeSize, checkpoint.treeSize, note.rootHash, checkpoint.rootHash, proof))
        return `${where} is not consistent with the package's checkpoint (tree size ${checkpoint.treeSize}): the earlier checkpoint is forged, or the ledger was rewritten since`;
      report(
        "since",
        true,
        `${where}, signed ${note.createdAt} by key ${key.keyId}, is consistent with the package's checkpoint (tree size ${checkpoint.treeSize}): the ledger only grew since`,
      );
      return null;
    })();
    if (problem) report("since", false, problem);
  }

  // 4. raw
  const records = new Map();
  const csv = csvRowReader(dir, rowsOut);
  {
    const problems = [];
    if (!exists("raw/index.ndjson")) problems.push("raw/index.ndjson: missing");
    else if (!exists("raw/records.bin")) problems.push("raw/records.bin: missing");
    else {
      // records.bin is read front to back through an 8 MB window (records are contiguous, in index order).
      const fd = fs.openSync(path.join(dir, "raw/records.bin"), "r");
      const binSize = fs.fstatSync(fd).size;
      let win = Buffer.alloc(8 << 20);
      let winStart = 0;
      let winEnd = 0;
      let expectOffset = 0;
      let purged = 0;
      let lastLeaf = -1;
      try {
        for await (const [n, line] of lines(path.join(dir, "raw/index.ndjson"))) {
          let r;
          try {
            r = parseIndexLine(line);
          } catch {
            problems.push(`raw/index.ndjson: line ${n} is not JSON`);
            break;
          }
          const where = `raw/index.ndjson line ${n} (raw record ${r.rawRecordId}, leaf ${r.leafIndex})`;
          if (typeof r.rawRecordId !== "string" || !Number.isSafeInteger(r.leafIndex) || !HEX64.test(r.leafHash ?? "")) {
            problems.push(`${where}: malformed entry`);
            break;
          }
          if (records.has(r.rawRecordId)) problems.push(`${where}: raw record listed twice`);
          if (r.leafIndex <= lastLeaf) problems.push(`${where}: leaf indices are not in increasing order`);
          lastLeaf = r.leafIndex;
          records.set(r.rawRecordId, { leafIndex: r.leafIndex, leafHash: r.leafHash, proved: false });
          if (r.purged) {
            purged++;
            csv?.record(r, null);
            continue;
          }
          if (r.offset !== expectOffset || !Number.isSafeInteger(r.length) || r.length < 0 || r.offset + r.length > binSize) {
            problems.push(`${where}: offset/length do not follow the previous record in raw/records.bin`);
            break;
          }
          if (r.offset + r.length > winEnd) {
            if (win.length < r.length) win = Buffer.alloc(r.length);
            winStart = r.offset;
            winEnd = winStart + fs.readSync(fd, win, 0, win.length, winStart);
            if (r.offset + r.length > winEnd) {
              problems.push(`raw/records.bin: ends inside raw record ${r.rawRecordId}`);
              break;
            }
          }
          const bytes = win.subarray(r.offset - winStart, r.offset - winStart + r.length);
          expectOffset += r.length;
          if (leafHash(bytes).toString("hex") !== r.leafHash) {
            problems.push(
              `raw/records.bin bytes ${r.offset}..${r.offset + r.length} (raw record ${r.rawRecordId}, leaf ${r.leafIndex}): SHA-256(0x00 || record) is not the leaf hash - the record was changed`,
            );
          }
          if (sha256(bytes).toString("hex") !== r.contentHash) problems.push(`${where}: content hash does not match the record's bytes`);
          csv?.record(r, bytes);
          if (problems.length >= 20) break;
        }
      } finally {
        fs.closeSync(fd);
      }
      if (problems.length === 0 && expectOffset !== binSize)
        problems.push(`raw/records.bin: ${binSize - expectOffset} bytes after the last indexed record`);
      report(
        "raw",
        problems.length === 0,
        problems.length
          ? problems
          : `${records.size} raw records, each hashing to its leaf hash${purged ? ` (${purged} purged by retention: leaf hash only)` : ""}`,
      );
    }
    if (problems.length && !results.some((r) => r.name === "raw")) report("raw", false, problems);
  }
  csv?.finish(report);

  // 5. proofs
  {
    const problems = [];
    if (!exists("proofs/inclusion-proofs.ndjson")) problems.push("proofs/inclusion-proofs.ndjson: missing");
    else if (!checkpoint) problems.push("proofs/inclusion-proofs.ndjson: cannot be checked without a valid checkpoint.txt");
    else {
      const rootHex = checkpoint.rootHash.toString("hex");
      let proved = 0;
      for await (const [n, line] of lines(path.join(dir, "proofs/inclusion-proofs.ndjson"))) {
        let p;
        try {
          p = parseProofLine(line);
        } catch {
          problems.push(`proofs/inclusion-proofs.ndjson: line ${n} is not JSON`);
          break;
        }
        const where = `proofs/inclusion-proofs.ndjson line ${n} (raw record ${p.rawRecordId}, leaf ${p.leafIndex})`;
        const rec = records.get(p.rawRecordId);
        if (!rec) problems.push(`${where}: no such raw record in raw/index.ndjson`);
        else if (rec.leafIndex !== p.leafIndex || rec.leafHash !== p.leafHash)
          problems.push(`${where}: leaf index or hash differ from raw/index.ndjson`);
        else if (p.treeSize !== checkpoint.treeSize)
          problems.push(`${where}: proof is for tree size ${p.treeSize}, not the checkpoint's ${checkpoint.treeSize}`);
        else if (!p.checked && (!Array.isArray(p.path) || !p.path.every((h) => typeof h === "string" && HEX64.test(h))))
          problems.push(`${where}: malformed path`);
        else if (!verifyInclusion(p.leafIndex, p.treeSize, p.leafHash, p.path, rootHex)) {
          problems.push(
            `${where}: the inclusion proof does not lead to the signed root - raw record ${p.rawRecordId} is not the record the ledger holds`,
          );
        } else {
          if (rec.proved) problems.push(`${where}: a second proof for the same record`);
          rec.proved = true;
          proved++;
        }
        if (problems.length >= 20) break;
      }
      if (problems.length === 0) {
        for (const [id, rec] of records) {
          if (!rec.proved) {
            problems.push(`proofs/inclusion-proofs.ndjson: no proof for raw record ${id} (leaf ${rec.leafIndex})`);
            break;
          }
        }
      }
      if (problems.length === 0)
        report("proofs", true, `${proved} inclusion proofs lead to the signed root of tree size ${checkpoint.treeSize}`);
    }
    if (problems.length) report("proofs", false, problems);
  }

  // 7. events (read here, reported after the bindings they are checked against): ids, and the SHA-256 of each
  // event's `data` exactly as exported (the stored normalized event's text).
  const events = [];
  const eventProblems = [];
  if (!exists("events.ndjson")) eventProblems.push("events.ndjson: missing");
  else {
    for await (const [n, buf, start, end] of lines(path.join(dir, "events.ndjson"), true)) {
      let e;
      // The exporter's lines end with "data":<the stored JSON>}: the bytes are hashed as they are, without a
      // decode; a line in another shape is parsed (and hashed as re-serialized, which an edit shows up in).
      const m = EVENT_PREFIX.exec(buf.toString("latin1", start, Math.min(end, start + 96)));
      const at = m ? buf.indexOf(DATA_KEY, start) : -1;
      if (m && at !== -1 && at < end && buf[end - 1] === 0x7d) {
        e = { id: m[1], rawRecordId: m[2], hash: sha256(buf.subarray(at + DATA_KEY.length, end - 1)).toString("hex") };
      } else {
        try {
          const j = JSON.parse(buf.toString("utf8", start, end));
          e = {
            id: String(j.id),
            rawRecordId: String(j.rawRecordId),
            hash: sha256(Buffer.from(JSON.stringify(j.data), "utf8")).toString("hex"),
          };
        } catch {
          eventProblems.push(`events.ndjson: line ${n} is not JSON`);
          break;
        }
      }
      e.line = n;
      events.push(e);
    }
  }
  const eventCount = events.length;
  const eventsOf = (rawRecordId) => events.filter((e) => e.rawRecordId === rawRecordId).map((e) => `event ${e.id}`);

  // 6. bindings
  const bound = new Map(); // rawRecordId -> Set of its event hashes, as its append batch signed them
  const unbound = new Set(); // raw records whose binding failed
  let legacyRecords = 0;
  {
    const problems = [];
    const batches = new Map();
    let legacyEnd = Infinity;
    if (!checkpoint) problems.push("proofs/append-proofs.ndjson: cannot be checked without a valid checkpoint.txt");
    else if (checkpoint.batches > 0) {
      // Records below batch #1 predate append batches (written by an earlier version); the signed checkpoint says
      // how many batches the ledger holds, so a package cannot pass its records off as older than they are.
      legacyEnd = 0;
      if (!exists("proofs/append-batches.json")) problems.push("proofs/append-batches.json: missing");
      else {
        let list = [];
        try {
          list = JSON.parse(read("proofs/append-batches.json").toString("utf8"));
          if (!Array.isArray(list)) throw new Error("not a list");
        } catch (e) {
          problems.push(`proofs/append-batches.json: not a list of batches (${e.message})`);
        }
        for (const b of list) {
          const note =
            `sessionproof-append/v1\nseq ${b.seq}\nleaves ${b.firstLeaf} ${b.count}\nafter-checkpoint ${b.afterCheckpoint}\n` +
            `entries ${Buffer.from(String(b.entriesRoot), "hex").toString("base64")}\ntime ${b.createdAt}\n`;
          const fields = [b.seq, b.firstLeaf, b.count, b.afterCheckpoint].every((v) => Number.isSafeInteger(v) && v >= 0);
          let ok = false;
          try {
            ok =
              fields &&
              HEX64.test(b.entriesRoot) &&
              note === b.note &&
              verifies(
                Buffer.from(note),
                keyForBatch(chain, normalizeFingerprint(b.keyFingerprint), b.afterCheckpoint)?.publicKey,
                Buffer.from(b.signature, "base64"),
              );
          } catch {
            ok = false;
          }
          if (!ok)
            problems.push(
              `proofs/append-batches.json: append batch #${b.seq} is not signed by ${chain.length > 1 ? `the key of its time (${describeKeys(chain)})` : "public-key.pem"} (the batch was changed)`,
            );
          else if (b.seq > checkpoint.batches)
            problems.push(
              `proofs/append-batches.json: append batch #${b.seq} is not under the checkpoint (it holds ${checkpoint.batches})`,
            );
          else batches.set(b.seq, b);
        }
        if (batches.has(1)) legacyEnd = batches.get(1).firstLeaf;
        else if (problems.length === 0) problems.push("proofs/append-batches.json: append batch #1 is missing");
      }
    }
    const covered = new Set();
    if (!exists("proofs/append-proofs.ndjson")) problems.push("proofs/append-proofs.ndjson: missing");
    else if (checkpoint) {
      for await (const [n, line] of lines(path.join(dir, "proofs/append-proofs.ndjson"))) {
        let p;
        try {
          p = parseAppendLine(line);
        } catch {
          problems.push(`proofs/append-proofs.ndjson: line ${n} is not JSON`);
          break;
        }
        const rec = records.get(String(p.rawRecordId));
        const where = `proofs/append-proofs.ndjson line ${n} (raw record ${p.rawRecordId}, leaf ${p.leafIndex})`;
        if (!rec || rec.leafIndex !== p.leafIndex) {
          problems.push(`${where}: no such raw record in raw/index.ndjson`);
          continue;
        }
        covered.add(String(p.rawRecordId));
        if (p.batch === null) {
          if (p.leafIndex >= legacyEnd) {
            unbound.add(String(p.rawRecordId));
            problems.push(`${where}: belongs to no signed append batch - it was not written by Sessionproof's append path`);
          } else legacyRecords++;
          continue;
        }
        const b = batches.get(p.batch);
        // A line read by the fixed pattern has well-formed hashes already; any other is checked here.
        const hexes = (v) => (Array.isArray(v) && (p.checked || v.every((h) => typeof h === "string" && HEX64.test(h))) ? v : null);
        const hashes = hexes(p.eventHashes);
        const proofPath = hexes(p.path);
        let ok = false;
        if (b && hashes && proofPath && p.leafIndex >= b.firstLeaf && p.leafIndex < b.firstLeaf + b.count) {
          const entry = Buffer.concat([Buffer.from(rec.leafHash, "hex"), sha256(Buffer.from(hashes.join(""), "hex"))]);
          ok = verifyInclusion(p.leafIndex - b.firstLeaf, b.count, leafHash(entry).toString("hex"), proofPath, b.entriesRoot);
        }
        if (ok) bound.set(String(p.rawRecordId), new Set(hashes));
        else {
          unbound.add(String(p.rawRecordId));
          const evs = eventsOf(String(p.rawRecordId));
          problems.push(
            b
              ? `${where}: its events${evs.length ? ` (${evs.join(", ")})` : ""} or bytes differ from those append batch #${b.seq} signed at ingest - an event was edited, added or removed`
              : `${where}: append batch #${p.batch} is not in proofs/append-batches.json`,
          );
        }
        if (problems.length >= 20) break;
      }
      if (problems.length === 0) {
        for (const [id, rec] of records) {
          if (!covered.has(id) && rec.leafIndex >= legacyEnd) {
            problems.push(`proofs/append-proofs.ndjson: no line for raw record ${id} (leaf ${rec.leafIndex})`);
            break;
          }
        }
      }
    }
    report(
      "bindings",
      problems.length === 0,
      problems.length
        ? problems
        : `${bound.size} raw records and their events bound to ${batches.size} signed append batches` +
            (legacyRecords ? ` (${legacyRecords} written before append batches existed: not bound)` : ""),
    );
  }

  // 7. events
  {
    const problems = eventProblems;
    let legacyEvents = 0;
    for (const e of events) {
      const where = `events.ndjson line ${e.line} (event ${e.id})`;
      if (!records.has(e.rawRecordId)) problems.push(`${where}: cites raw record ${e.rawRecordId}, which is not in the package`);
      else if (unbound.has(e.rawRecordId))
        problems.push(
          `${where}: raw record ${e.rawRecordId}'s events are not the ones signed at ingest (see bindings) - the event was changed`,
        );
      else if (!bound.has(e.rawRecordId)) legacyEvents++;
      else if (!bound.get(e.rawRecordId).has(e.hash))
        problems.push(
          `${where}: its normalized event differs from the one signed at ingest with raw record ${e.rawRecordId} - it was edited`,
        );
      if (problems.length >= 20) break;
    }
    report(
      "events",
      problems.length === 0,
      problems.length
        ? problems
        : `${eventCount} events, each citing a raw record in the package and matching what was signed at ingest` +
            (legacyEvents ? ` (${legacyEvents} of records written before append batches existed: not bound)` : ""),
    );
  }

  // 7. manifest
  {
    const problems = [];
    if (!exists("manifest.json")) problems.push("manifest.json: missing");
    else {
      try {
        const m = JSON.parse(read("manifest.json").toString("utf8"));
        const listed = new Map((m.files ?? []).map((f) => [f.path, f.sha256]));
        for (const [file, h] of sums)
          if (file !== "manifest.json" && listed.get(file) !== h)
            problems.push(`manifest.json: ${file} is listed with another hash than in SHA256SUMS`);
        for (const file of listed.keys()) if (!sums.has(file)) problems.push(`manifest.json: lists ${file}, which SHA256SUMS does not`);
        if (m.counts?.events !== eventCount)
          problems.push(`manifest.json: says ${m.counts?.events} events, events.ndjson has ${eventCount}`);
        if (m.counts?.rawRecords !== records.size)
          problems.push(`manifest.json: says ${m.counts?.rawRecords} raw records, raw/index.ndjson has ${records.size}`);
        if (checkpoint && m.checkpoint?.treeSize !== checkpoint.treeSize)
          problems.push("manifest.json: checkpoint differs from checkpoint.txt");
      } catch (e) {
        problems.push(`manifest.json: not valid JSON (${e.message})`);
      }
    }
    report("manifest", problems.length === 0, problems.length ? problems : "file list and counts agree");
  }

  const actual = await hashing;
  for (const [file, expected] of sums) {
    const got = actual.get(file);
    if (got !== undefined && got !== expected)
      fileProblems.push(`${file}: SHA-256 ${got} differs from SHA256SUMS (${expected}) - the file or its SHA256SUMS line was changed`);
  }
  for (const file of [...present].sort()) {
    if (!sums.has(file) && !SIGNED_FILES.has(file)) fileProblems.push(`${file}: not listed in SHA256SUMS - it was added to the package`);
  }
  // 9. timestamp
  const stamp = checkTimestamp(dir, tsaCert);
  if (stamp) report("timestamp", stamp.ok, stamp.detail);

  // 13. key: last, so that its verdict is the one the auditor reads next to the summary.
  const pinned = expectKey !== null && expectKey !== undefined;
  if (pinned) {
    const want = normalizeFingerprint(expectKey);
    const got = fingerprint ? normalizeFingerprint(fingerprint) : null;
    const older = chain.slice(0, -1).find((k) => k.fingerprint === want);
    if (!want) report("key", false, `--expect-key ${expectKey}: not a SHA-256 fingerprint (64 hex digits, optionally after "SHA256:")`);
    else if (!got) report("key", false, `public-key.pem: no readable key to compare with the expected ${want}`);
    else if (older)
      report(
        "key",
        false,
        `public-key.pem is key ${got}, not the expected ${want}: your key ${older.keyId} was rotated to newer keys (keys.json). ` +
          "Obtain the newest key's fingerprint out of band and pin that one (a stolen old key could otherwise vouch for a forger's key)",
      );
    else if (got !== want)
      report("key", false, `public-key.pem is key ${got}, not the expected ${want} - the package was signed by another key`);
    else
      report(
        "key",
        true,
        `public-key.pem is the expected key ${want}${chain.length > 1 ? ` (the newest of ${chain.length} keys, each vouched for by its predecessor)` : ""}`,
      );
  }

  results.unshift({
    name: "files",
    ok: fileProblems.length === 0,
    detail: fileProblems.length ? fileProblems : `${sums.size} files match SHA256SUMS, none missing, none added`,
  });
  return { ok: results.every((r) => r.ok), results, fingerprint, pinned };
}

function parseCli(argv) {
  let dir = null;
  let expectKey = null;
  let tsaCert = null;
  let since = null;
  let rowsOut = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--rows") {
      if (i + 1 >= argv.length) throw new Error("--rows needs a file to write the CSV rows to");
      rowsOut = argv[++i];
      continue;
    }
    if (a === "--tsa-cert") {
      if (i + 1 >= argv.length) throw new Error("--tsa-cert needs the TSA certificate's PEM file");
      tsaCert = argv[++i];
      continue;
    }
    if (a.startsWith("--tsa-cert=")) {
      tsaCert = a.slice("--tsa-cert=".length);
      continue;
    }
    if (a === "--expect-key") {
      if (i + 1 >= argv.length) throw new Error("--expect-key needs a fingerprint");
      expectKey = argv[++i];
    } else if (a.startsWith("--expect-key=")) expectKey = a.slice("--expect-key=".length);
    else if (a === "--since") {
      if (i + 1 >= argv.length) throw new Error("--since needs an earlier checkpoint (file or package folder)");
      since = argv[++i];
    } else if (a.startsWith("--since=")) since = a.slice("--since=".length);
    else if (a === "--help" || a === "-h") return { help: true };
    else if (a.startsWith("-")) throw new Error(`unknown option ${a}`);
    else if (dir === null) dir = a;
    else throw new Error(`unexpected argument ${a}`);
  }
  return { dir, expectKey, since, tsaCert, rowsOut, help: false };
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  let cli;
  try {
    cli = parseCli(process.argv.slice(2));
  } catch (e) {
    console.error(
      `verify.mjs: ${e.message}\nusage: node verify.mjs [<folder>] [--expect-key <fingerprint>] [--since <earlier checkpoint>] [--tsa-cert <pem>] [--rows <file>]`,
    );
    process.exit(2);
  }
  if (cli.help) {
    console.log(
      "usage: node verify.mjs [<folder>] [--expect-key <fingerprint>] [--since <earlier checkpoint>] [--tsa-cert <pem>] [--rows <file>]",
    );
    process.exit(0);
  }
  const dir = path.resolve(cli.dir ?? path.dirname(fileURLToPath(import.meta.url)));
  const started = performance.now();
  const { ok, results, pinned, fingerprint } = await verifyPackage(dir, {
    expectKey: cli.expectKey,
    tsaCert: cli.tsaCert ? path.resolve(cli.tsaCert) : null,
    since: cli.since && path.resolve(cli.since),
    rowsOut: cli.rowsOut && path.resolve(cli.rowsOut),
  });
  console.log(`Sessionproof evidence package: ${dir}`);
  for (const r of results) {
    const details = Array.isArray(r.detail) ? r.detail : [r.detail];
    console.log(`${r.ok ? "PASS" : "FAIL"}  ${r.name.padEnd(10)} ${details[0]}`);
    for (const d of details.slice(1, 10)) console.log(`      ${"".padEnd(10)} ${d}`);
    if (details.length > 10) console.log(`      ${"".padEnd(10)} ... and ${details.length - 10} more`);
  }
  const first = results.find((r) => !r.ok);
  const secs = ((performance.now() - started) / 1000).toFixed(2);
  if (!ok) console.log(`NOT VERIFIED: ${first.name} failed first - ${Array.isArray(first.detail) ? first.detail[0] : first.detail}`);
  else if (pinned) console.log(`VERIFIED: every check passed, signed by the expected key ${fingerprint} (${secs} s).`);
  else
    console.log(
      `VERIFIED, KEY NOT PINNED: every check passed (${secs} s), but the package was signed by key ${fingerprint}, which it carries ` +
        "itself. Obtain your organisation's key fingerprint out of band (Sessionproof Settings, /api/v1/ledger/public-key, your " +
        "administrator) and run again with --expect-key <fingerprint>; `openssl pkey -pubin -in public-key.pem -outform DER | openssl dgst -sha256` " +
        "prints this package's.",
    );
  process.exitCode = ok ? 0 : 1;
}
