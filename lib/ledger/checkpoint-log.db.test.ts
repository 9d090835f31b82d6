import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { pool } from "@/lib/db";
import { runCli } from "@/lib/cli/run-cli";
import { commands } from "@/lib/cli/registry";
import { checkpointLogLine, checkpointLogPath, readCheckpointLog } from "./checkpoint-log";
import { createCheckpoint } from "./create-checkpoint";
import { listCheckpoints } from "./list-checkpoints";
import { leafHash, sha256 } from "./merkle";
import { clearRangeHashCache } from "./range-hashes";
import { append, createTestSource } from "./test-helpers";
import { verifyLedger } from "./verify-ledger";
import { ownerUrl } from "@/test/owner-db";

// Checkpoints published outside the database: the log file every checkpoint is appended to, the witness URL it is
// sent to, `ledger checkpoints` / `ledger verify --against`, and the refusals that keep a rolled-back or forged
// ledger from being signed. Before, a rollback of the whole database (records, checkpoints and all) left nothing
// that could tell, and a row inserted behind the application's back was signed into the next checkpoint.

// The witness: a local HTTP server, named in the environment before anything reads it.
const received: string[] = [];
let witnessStatus = 200;
const server = http.createServer((req, res) => {
  let body = "";
  req.on("data", (c: Buffer) => (body += c.toString("utf8")));
  req.on("end", () => {
    received.push(body);
    res.writeHead(witnessStatus).end();
  });
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
process.env.SESSIONPROOF_CHECKPOINT_WITNESS_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/witness`;

const TABLES = ["raw_record", "ledger_batch", "ledger_checkpoint"];
let source: string;
let log: string;
let attacker: pg.Client;

const logLines = () =>
  fs
    .readFileSync(log, "utf8")
    .split("\n")
    .filter((l) => l !== "");

async function cli(...argv: string[]): Promise<{ code: number; out: string }> {
  const out: string[] = [];
  const code = await runCli({ argv, commands, io: { out: (t) => out.push(t), err: (t) => out.push(t) } });
  return { code, out: out.join("\n") };
}

/** Runs `tamper` as a superuser with the triggers off, then puts the ledger tables back as they were. */
async function behindTheBack<T>(tamper: () => Promise<unknown>, check: () => Promise<T>): Promise<T> {
  for (const t of TABLES) await attacker.query(`CREATE TEMP TABLE saved_${t} AS SELECT * FROM ${t}`);
  try {
    await tamper();
    clearRangeHashCache();
    return await check();
  } finally {
    for (const t of TABLES) {
      await attacker.query(`DELETE FROM ${t}`);
      await attacker.query(`INSERT INTO ${t} SELECT * FROM saved_${t}`);
      await attacker.query(`DROP TABLE saved_${t}`);
    }
    clearRangeHashCache();
  }
}

beforeAll(async () => {
  source = await createTestSource();
  log = checkpointLogPath()!;
  // Someone with the owner's or a superuser's rights: the app's own role cannot switch the triggers off.
  attacker = new pg.Client({ connectionString: ownerUrl() });
  await attacker.connect();
  await attacker.query("SET session_replication_role = replica");
  for (const batch of [["a", "b", "c"], ["d", "e"], ["f"]]) {
    await append(source, batch);
    await createCheckpoint({});
  }
});

afterAll(async () => {
  await attacker?.end();
  server.close();
});

describe("the checkpoint log", () => {
  it("receives every checkpoint as one JSON line, the same lines `ledger checkpoints` prints and the witness receives", async () => {
    const cps = await listCheckpoints({});
    expect(cps.map((c) => c.seq)).toEqual([1, 2, 3]);
    expect(logLines()).toEqual(cps.map((c) => checkpointLogLine(c).trimEnd()));
    expect(received).toEqual(cps.map(checkpointLogLine));
    const printed = await cli("ledger", "checkpoints", "--since", "1");
    expect(printed.code).toBe(0);
    expect(printed.out.split("\n")).toEqual(logLines().slice(1));
  });

  it("catches up with checkpoints it missed (a crash between commit and write), and a witness failure does not stop signing", async () => {
    fs.writeFileSync(log, logLines().slice(0, 2).join("\n") + "\n"); // #3 never reached the file
    witnessStatus = 500;
    const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      await append(source, ["g"]);
      const cp = await createCheckpoint({});
      expect(cp).toMatchObject({ created: true, seq: 4 });
      expect(errors.mock.calls.flat().join(" ")).toMatch(/witness .* answered 500 to checkpoint #3/);
    } finally {
      errors.mockRestore();
      witnessStatus = 200;
    }
    expect(readCheckpointLog(log).checkpoints.map((c) => c.seq)).toEqual([1, 2, 3, 4]);
  });

  it("lets `ledger verify --against` pass on the sound ledger", async () => {
    const report = await verifyLedger({ against: log });
    expect(report.errors).toEqual([]);
    expect(report.published).toEqual({ file: log, checkpoints: 4, latestSeq: 4 });
    const out = await cli("ledger", "verify", "--against", log);
    expect(out.code).toBe(0);
    expect(out.out).toMatch(/Compared with 4 checkpoints published in .* \(latest #4\)/);
  });
});

describe("a ledger rolled back to an earlier state", () => {
  // Everything after checkpoint #2 removed: records, their batches, the checkpoints. Consistent with itself.
  const rollBack = async () => {
    const size = Number((await attacker.query(`SELECT "treeSize" FROM ledger_checkpoint WHERE seq = 2`)).rows[0].treeSize);
    await attacker.query(`DELETE FROM raw_record WHERE "leafIndex" >= $1`, [size]);
    await attacker.query(`DELETE FROM ledger_batch WHERE "firstLeaf" >= $1`, [size]);
    await attacker.query(`DELETE FROM ledger_checkpoint WHERE seq > 2`);
    return size;
  };

  it("passes `ledger verify` on the database alone, but not against the published log, which names what is gone", async () => {
    await behindTheBack(rollBack, async () => {
      expect((await verifyLedger({})).errors).toEqual([]);
      const report = await verifyLedger({ against: log });
      expect(report.ok).toBe(false);
      expect(report.errors.map((e) => [e.kind, e.checkpointSeq])).toEqual([
        ["checkpoint-missing", 3],
        ["tree-shrank", 3],
        ["checkpoint-missing", 4],
      ]);
      const out = await cli("ledger", "verify", "--against", log);
      expect(out.code).toBe(1);
      expect(out.out).toMatch(/First missing checkpoint: #3/);
    });
  });

  it("is refused a new checkpoint while the log holds a later one", async () => {
    await behindTheBack(
      async () => {
        await rollBack();
        await append(source, ["after the rollback"]);
      },
      async () => {
        await expect(createCheckpoint({})).rejects.toThrow(
          /refusing to sign a checkpoint: the checkpoint log .* holds checkpoint #4 \(tree size 7\), but the database's latest is #2: the ledger was rolled back/,
        );
      },
    );
  });
});

describe("a row written behind the append path's back", () => {
  it("is refused a checkpoint, naming the record", async () => {
    await behindTheBack(
      async () => {
        const payload = Buffer.from("forged");
        await attacker.query(
          `INSERT INTO raw_record ("leafIndex", "sourceId", "fileName", position, "contentHash", "leafHash", payload)
           VALUES ((SELECT MAX("leafIndex") + 1 FROM raw_record), $1, 'test.json', 99, $2, $3, $4)`,
          [source, sha256(payload), leafHash(payload), payload],
        );
      },
      async () => {
        const forged = (
          await pool().query(`SELECT id::text AS id, "leafIndex"::text AS leaf FROM raw_record ORDER BY "leafIndex" DESC LIMIT 1`)
        ).rows[0];
        await expect(createCheckpoint({})).rejects.toThrow(
          new RegExp(
            `raw record ${forged.id} at leaf ${forged.leaf} belongs to no signed append batch: it was not written by the append path`,
          ),
        );
        expect((await verifyLedger({})).errors).toEqual([expect.objectContaining({ kind: "leaf-unbatched", rawRecordId: forged.id })]);
      },
    );
  });
});

describe("a published log that was edited", () => {
  it("has its unsigned lines reported, not trusted", async () => {
    const edited = `${log}.edited`;
    const lines = logLines().map((l) => JSON.parse(l) as { seq: number; treeSize: number });
    lines[1].treeSize += 1;
    fs.writeFileSync(edited, lines.map((l) => JSON.stringify(l)).join("\n") + "\nnot json\n");
    const report = await verifyLedger({ against: edited });
    expect(report.errors.map((e) => e.kind)).toEqual(["published-checkpoint-invalid", "published-checkpoint-invalid"]);
    expect(report.errors[0].message).toMatch(/line 5: /);
    expect(report.errors[1]).toMatchObject({ checkpointSeq: 2 });
  });
});
