import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  appendBatchNote,
  entriesTree,
  entryAt,
  eventsHash,
  NO_EVENTS_HASH,
  signAppendBatch,
  verifyAppendBatchSignature,
  type AppendBatchFields,
} from "./append-batch";
import { leafHash, MerkleTree, sha256 } from "./merkle";

const fields: AppendBatchFields = {
  seq: 37,
  firstLeaf: 4096,
  count: 3,
  afterCheckpoint: 12,
  entriesRoot: Buffer.alloc(32, 0xab),
  createdAt: new Date(Date.UTC(2026, 11, 7, 13, 0, 0, 5)),
};

describe("append batches", () => {
  it("sign an exact text note, each field on its own labelled line", () => {
    expect(appendBatchNote(fields).toString("utf8")).toBe(
      "sessionproof-append/v1\nseq 37\nleaves 4096 3\nafter-checkpoint 12\nentries q6urq6urq6urq6urq6urq6urq6urq6urq6urq6urq6s=\n" +
        "time 2026-12-07T13:00:00.005Z\n",
    );
    expect(() => appendBatchNote({ ...fields, count: -1 })).toThrow(/count/);
  });

  it("verify with the signing key only, and not once a field changed", () => {
    const { privateKey, publicKey } = crypto.generateKeyPairSync("ed25519");
    const signature = signAppendBatch(fields, privateKey);
    expect(verifyAppendBatchSignature({ ...fields, signature }, publicKey)).toBe(true);
    expect(verifyAppendBatchSignature({ ...fields, firstLeaf: 4097, signature }, publicKey)).toBe(false);
    expect(verifyAppendBatchSignature({ ...fields, signature }, crypto.generateKeyPairSync("ed25519").publicKey)).toBe(false);
  });

  it("commit to the RFC 9162 tree of their 64-byte entries (leaf hash, then events hash)", () => {
    const entries = crypto.randomBytes(5 * 64);
    const leaves = Array.from({ length: 5 }, (_, i) => leafHash(entries.subarray(i * 64, (i + 1) * 64)));
    expect(entriesTree(entries).root().equals(MerkleTree.fromLeafHashes(leaves).root())).toBe(true);
    expect(entryAt(entries, 2).leafHash.equals(entries.subarray(128, 160))).toBe(true);
    expect(entryAt(entries, 2).eventsHash.equals(entries.subarray(160, 192))).toBe(true);
    expect(() => entriesTree(Buffer.alloc(65))).toThrow(/multiple of 64/);
  });

  it("hash a record's events as the SHA-256 of their data hashes in order", () => {
    const [a, b] = [sha256(Buffer.from("a")), sha256(Buffer.from("b"))];
    expect(eventsHash([])).toEqual(NO_EVENTS_HASH);
    expect(NO_EVENTS_HASH.toString("hex")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(eventsHash([a])).toEqual(sha256(a));
    expect(eventsHash([a, b])).toEqual(sha256(Buffer.concat([a, b])));
    expect(eventsHash([b, a]).equals(eventsHash([a, b]))).toBe(false);
  });
});
