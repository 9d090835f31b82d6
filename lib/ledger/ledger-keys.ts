import crypto, { type KeyObject } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { PoolClient } from "pg";
import { pool } from "@/lib/db";
import { withTransaction } from "@/lib/db/transaction";
import { AppError } from "@/lib/errors";
import { APPEND_LOCK, CHECKPOINT_LOCK } from "./locks";
import { KEY_FILE, keyIdOf, loadSigningKey, publicKeyFromPem, resolveDir, type SigningKey } from "./signing-key";

// Every public key the ledger was ever signed with, and which checkpoints each one signs. A rotation
// (`npm run cli -- ledger rotate-key`) starts a new key; the old public key stays (table ledger_key, served by the
// API, carried by evidence packages), vouched for by a rotation statement signed with the old key and the new one:
//   sessionproof-key-rotation/v1
//   from <old key id> <old fingerprint>
//   to <new key id> <new fingerprint>
//   after-checkpoint 41          (the old key signs checkpoints up to #41, the new one from #42 on)
//   time 2026-12-08T10:00:00.000Z
// So a verifier that pins the newest key can accept older checkpoints and batches along the chain, and nobody can
// add a key to the chain without the key before it: the chain starts at key 1 and each link is signed by its
// predecessor. Before the first rotation the table is empty and the configured key is the only one.
//
// Which key may sign what: key k signs the checkpoints numbered (after_k, after_k+1] (after_1 = 0, the newest key
// has no upper bound), and the append batches whose after-checkpoint (signed in the batch note) lies in
// [after_k, after_k+1]: a batch written while the rotation happened may carry either key.

export const ROTATION_NOTE = "sessionproof-key-rotation/v1";

export type RingKey = {
  seq: number;
  fingerprint: string;
  keyId: string;
  publicKey: KeyObject;
  publicKeyPem: string;
  createdAt: Date | null;
  /** Signs the checkpoints numbered above this ... */
  afterCheckpoint: number;
  /** ... up to this one (null: the newest key, no bound). */
  untilCheckpoint: number | null;
  rotation: { note: string; previousKeySignature: Buffer; newKeySignature: Buffer } | null;
};

/** The JSON form (API, evidence packages' keys.json). */
export type LedgerKeyJson = {
  seq: number;
  keyId: string;
  fingerprint: string;
  publicKeyPem: string;
  createdAt: string | null;
  afterCheckpoint: number;
  untilCheckpoint: number | null;
  rotation: { note: string; previousKeySignature: string; newKeySignature: string } | null;
};

export function rotationNote(f: { from: string; to: string; afterCheckpoint: number; createdAt: Date }): Buffer {
  if (!Number.isSafeInteger(f.afterCheckpoint) || f.afterCheckpoint < 0) throw new RangeError(`bad after-checkpoint ${f.afterCheckpoint}`);
  return Buffer.from(
    `${ROTATION_NOTE}\nfrom ${keyIdOf(f.from)} ${f.from}\nto ${keyIdOf(f.to)} ${f.to}\n` +
      `after-checkpoint ${f.afterCheckpoint}\ntime ${f.createdAt.toISOString()}\n`,
    "utf8",
  );
}

type KeyRow = {
  seq: number;
  fingerprint: string;
  publicKeyPem: string;
  createdAt: Date;
  afterCheckpoint: string;
  rotationNote: string | null;
  previousKeySignature: Buffer | null;
  newKeySignature: Buffer | null;
};

const KEY_COLUMNS = `seq, fingerprint, "publicKeyPem", "createdAt", "afterCheckpoint"::text AS "afterCheckpoint", "rotationNote",
  "previousKeySignature", "newKeySignature"`;

/** The ledger's keys with the problems of their chain (empty when every rotation statement holds). */
export class KeyRing {
  constructor(
    readonly keys: readonly RingKey[],
    readonly problems: readonly string[],
  ) {}

  get newest(): RingKey | undefined {
    return this.keys[this.keys.length - 1];
  }

  byFingerprint(fingerprint: string): RingKey | undefined {
    return this.keys.find((k) => k.fingerprint === fingerprint);
  }

  /** The key that signs checkpoint #seq. */
  forCheckpoint(seq: number): RingKey | undefined {
    return this.keys.find((k) => seq > k.afterCheckpoint && (k.untilCheckpoint === null || seq <= k.untilCheckpoint));
  }

  /** May `fingerprint` sign an append batch written after checkpoint #afterCheckpoint? */
  signsBatch(fingerprint: string, afterCheckpoint: number): RingKey | undefined {
    const k = this.byFingerprint(fingerprint);
    if (!k || afterCheckpoint < k.afterCheckpoint || (k.untilCheckpoint !== null && afterCheckpoint > k.untilCheckpoint)) return undefined;
    return k;
  }

  toJson(): LedgerKeyJson[] {
    return this.keys.map((k) => ({
      seq: k.seq,
      keyId: k.keyId,
      fingerprint: k.fingerprint,
      publicKeyPem: k.publicKeyPem,
      createdAt: k.createdAt?.toISOString() ?? null,
      afterCheckpoint: k.afterCheckpoint,
      untilCheckpoint: k.untilCheckpoint,
      rotation: k.rotation
        ? {
            note: k.rotation.note,
            previousKeySignature: k.rotation.previousKeySignature.toString("base64"),
            newKeySignature: k.rotation.newKeySignature.toString("base64"),
          }
        : null,
    }));
  }

  /** "key 3f9a0c1d2e4b5a69 signed checkpoints #1-#41, key 77ab... #42 on" */
  describe(): string {
    return this.keys
      .map(
        (k) => `key ${k.keyId} signs checkpoints #${k.afterCheckpoint + 1}${k.untilCheckpoint === null ? " on" : `-#${k.untilCheckpoint}`}`,
      )
      .join(", ");
  }
}

/**
 * The key ring from the stored keys. `current` is the key signatures are checked against when nothing was ever
 * rotated (the configured key, or one given by the caller); with stored keys it must be the newest of them.
 */
export function buildKeyRing(
  rows: readonly KeyRow[],
  current: { fingerprint: string; publicKey: KeyObject; publicKeyPem: string } | null,
): KeyRing {
  const problems: string[] = [];
  if (rows.length === 0) {
    if (!current) return new KeyRing([], []);
    const only = {
      ...current,
      seq: 1,
      keyId: keyIdOf(current.fingerprint),
      createdAt: null,
      afterCheckpoint: 0,
      untilCheckpoint: null,
      rotation: null,
    };
    return new KeyRing([only], []);
  }
  const keys: RingKey[] = [];
  rows.forEach((r, i) => {
    let pub: ReturnType<typeof publicKeyFromPem> | null = null;
    try {
      pub = publicKeyFromPem(r.publicKeyPem);
    } catch (err) {
      problems.push(`ledger key #${r.seq}: ${(err as Error).message}`);
      return;
    }
    if (r.seq !== i + 1) problems.push(`ledger key #${i + 1} is missing (keys are numbered without gaps)`);
    if (pub.fingerprint !== r.fingerprint)
      problems.push(`ledger key #${r.seq}: its PEM has fingerprint ${pub.fingerprint}, not ${r.fingerprint}`);
    const prev = keys[keys.length - 1];
    const afterCheckpoint = Number(r.afterCheckpoint);
    let rotation: RingKey["rotation"] = null;
    if (!prev) {
      if (r.rotationNote !== null) problems.push(`ledger key #${r.seq}: the first key has a rotation statement`);
    } else if (!r.rotationNote || !r.previousKeySignature || !r.newKeySignature) {
      problems.push(
        `ledger key #${r.seq} (${keyIdOf(r.fingerprint)}) has no rotation statement signed by key #${prev.seq}: it is not vouched for`,
      );
    } else {
      rotation = { note: r.rotationNote, previousKeySignature: r.previousKeySignature, newKeySignature: r.newKeySignature };
      const expected = rotationNote({ from: prev.fingerprint, to: pub.fingerprint, afterCheckpoint, createdAt: r.createdAt });
      const note = Buffer.from(r.rotationNote, "utf8");
      if (!note.equals(expected)) problems.push(`ledger key #${r.seq}: its rotation statement does not name key #${prev.seq} and this key`);
      else if (!crypto.verify(null, note, prev.publicKey, r.previousKeySignature))
        problems.push(
          `ledger key #${r.seq}: its rotation statement is not signed by the previous key ${prev.keyId} (the key was added, not rotated)`,
        );
      else if (!crypto.verify(null, note, pub.publicKey, r.newKeySignature))
        problems.push(`ledger key #${r.seq}: its rotation statement is not signed by the new key itself`);
      if (afterCheckpoint < prev.afterCheckpoint) problems.push(`ledger key #${r.seq}: starts before key #${prev.seq}`);
      prev.untilCheckpoint = afterCheckpoint;
    }
    keys.push({
      seq: r.seq,
      fingerprint: pub.fingerprint,
      keyId: pub.keyId,
      publicKey: pub.publicKey,
      publicKeyPem: pub.publicKeyPem,
      createdAt: r.createdAt,
      afterCheckpoint: prev ? afterCheckpoint : 0,
      untilCheckpoint: null,
      rotation,
    });
  });
  const newest = keys[keys.length - 1];
  if (current && newest && current.fingerprint !== newest.fingerprint) {
    problems.push(
      `the key ${keyIdOf(current.fingerprint)} (${current.fingerprint}) is not the ledger's newest key ${newest.keyId} (${newest.fingerprint}); ` +
        "restore the newest key, or check with the key it names",
    );
  }
  return new KeyRing(keys, problems);
}

type Queryable = Pick<PoolClient, "query">;

export async function loadKeyRows(q: Queryable = pool()): Promise<KeyRow[]> {
  return (await q.query<KeyRow>(`SELECT ${KEY_COLUMNS} FROM ledger_key ORDER BY seq`)).rows;
}

/** The ledger's key ring, with the configured key as the current one (or `publicKeyPem` when given). */
export async function loadKeyRing({ client, publicKeyPem }: { client?: Queryable; publicKeyPem?: string } = {}): Promise<KeyRing> {
  const current = publicKeyPem ? publicKeyFromPem(publicKeyPem) : loadSigningKey();
  return buildKeyRing(await loadKeyRows(client), current);
}

export type RotationResult = { previous: RingKey; current: RingKey; afterCheckpoint: number; retiredKeyFile: string };

/**
 * Replaces the signing key: the new key's rotation statement (signed by both keys) is stored with the old key's
 * row (written on the first rotation), and the new private key replaces the old one in the data folder; the old
 * private key is moved to `ledger-signing-key.retired-<key id>.pem` (delete it once you no longer need it: nothing
 * verifies with it). The caller signs a checkpoint with the old key first (`afterCheckpoint`: the last checkpoint
 * it signs). Holds the append and checkpoint locks, so that no batch or checkpoint is signed meanwhile; `inTransaction`
 * runs before the commit (the audit entry).
 */
export async function rotateSigningKey({
  afterCheckpoint,
  dataDir,
  inTransaction,
}: {
  afterCheckpoint: number;
  dataDir?: string;
  inTransaction?: (client: PoolClient, r: { from: string; to: string }) => Promise<void>;
}): Promise<RotationResult> {
  const old = loadSigningKey({ dataDir });
  if (!old)
    throw new AppError("CONFLICT", "There is no ledger signing key to rotate yet: it is created on the first ingest or `ledger key`.");
  if (old.source === "env") {
    throw new AppError(
      "CONFLICT",
      "The ledger key comes from SESSIONPROOF_LEDGER_PRIVATE_KEY, which this command cannot change. Unset it to let Sessionproof keep the key " +
        "in its data folder, or rotate the variable's key with `ledger rotate-key` after moving it into the data folder.",
    );
  }
  const file = old.file!;
  const { privateKey } = crypto.generateKeyPairSync("ed25519");
  const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  const fresh: SigningKey = {
    ...publicKeyFromPem(crypto.createPublicKey(privateKey).export({ type: "spki", format: "pem" }).toString()),
    privateKey,
    source: "file",
    file,
  };
  const retired = path.join(resolveDir(dataDir), `${KEY_FILE.replace(/\.pem$/, "")}.retired-${old.keyId}.pem`);
  const pending = `${file}.new`;
  return withTransaction(async (client) => {
    await client.query("SELECT pg_advisory_xact_lock($1)", [APPEND_LOCK]);
    await client.query("SELECT pg_advisory_xact_lock($1)", [CHECKPOINT_LOCK]);
    const ring = buildKeyRing(await loadKeyRows(client), old);
    if (ring.problems.length)
      throw new AppError("CONFLICT", `The ledger's keys do not chain: ${ring.problems[0]}. Run \`npm run cli -- ledger verify\`.`);
    const last = await client.query<{ seq: string }>(`SELECT COALESCE(MAX(seq), 0)::text AS seq FROM ledger_checkpoint`);
    if (Number(last.rows[0].seq) !== afterCheckpoint)
      throw new AppError("CONFLICT", `A checkpoint was signed after #${afterCheckpoint} while rotating; run the rotation again.`);
    const createdAt = new Date();
    const stored = (await loadKeyRows(client)).length;
    if (stored === 0) {
      await client.query(
        `INSERT INTO ledger_key (seq, fingerprint, "publicKeyPem", "createdAt", "afterCheckpoint") VALUES (1, $1, $2, $3, 0)`,
        [old.fingerprint, old.publicKeyPem, fs.statSync(file).mtime],
      );
    }
    const seq = Math.max(stored, 1) + 1;
    const note = rotationNote({ from: old.fingerprint, to: fresh.fingerprint, afterCheckpoint, createdAt });
    await client.query(
      `INSERT INTO ledger_key (seq, fingerprint, "publicKeyPem", "createdAt", "afterCheckpoint", "rotationNote", "previousKeySignature", "newKeySignature")
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        seq,
        fresh.fingerprint,
        fresh.publicKeyPem,
        createdAt,
        afterCheckpoint,
        note.toString("utf8"),
        crypto.sign(null, note, old.privateKey),
        crypto.sign(null, note, privateKey),
      ],
    );
    if (inTransaction) await inTransaction(client, { from: old.fingerprint, to: fresh.fingerprint });
    // The files change while the locks are held: the next append or checkpoint (which read the key under these
    // locks) sees the new key. Written aside first, then renamed into place (atomic on one file system).
    fs.writeFileSync(pending, pem, { mode: 0o600, flag: "w" });
    fs.copyFileSync(file, retired, fs.constants.COPYFILE_EXCL);
    fs.chmodSync(retired, 0o600);
    fs.renameSync(pending, file);
    const after = await loadKeyRing({ client });
    return { previous: after.keys[after.keys.length - 2], current: after.newest!, afterCheckpoint, retiredKeyFile: retired };
  });
}
