import { execFileSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";

// A local RFC 3161 timestamp authority for tests (not imported by application code): a throwaway CA and a TSA
// certificate (extendedKeyUsage=critical,timeStamping) made with openssl in `dir`, and an HTTP server that answers
// each application/timestamp-query by running `openssl ts -reply`.

const CONFIG = `[ req ]
distinguished_name = dn
prompt = no
[ dn ]
CN = test
[ ca_ext ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
[ tsa_ext ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = critical,timeStamping
[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
serial = ./tsa.serial
crypto_device = builtin
signer_cert = ./tsa.crt
certs = ./ca.crt
signer_key = ./tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
other_policies = 1.2.3.4.2
digests = sha256
accuracy = secs:1
ordering = no
tsa_name = no
ess_cert_id_chain = no
ess_cert_id_alg = sha256
`;

const openssl = (dir: string, args: string[], input?: Buffer) =>
  execFileSync("openssl", args, { cwd: dir, input, stdio: ["pipe", "pipe", "pipe"] });

/** Makes a CA and a TSA certificate under `dir` (ca.crt, tsa.crt and their keys). */
export function makeTsaCertificates(dir: string, name = "Test"): { caCert: string; tsaCert: string } {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "tsa.cnf"), CONFIG);
  fs.writeFileSync(path.join(dir, "tsa.serial"), "01\n");
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];
  openssl(dir, [
    "req",
    "-x509",
    ...ec,
    "-keyout",
    "ca.key",
    "-out",
    "ca.crt",
    "-days",
    "2",
    "-subj",
    `/CN=${name} TSA CA`,
    "-config",
    "tsa.cnf",
    "-extensions",
    "ca_ext",
  ]);
  openssl(dir, ["req", "-new", ...ec, "-keyout", "tsa.key", "-out", "tsa.csr", "-subj", `/CN=${name} TSA`, "-config", "tsa.cnf"]);
  openssl(
    dir,
    ["x509", "-req", "-in", "tsa.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-set_serial", "2", "-days", "2"].concat([
      "-extfile",
      "tsa.cnf",
      "-extensions",
      "tsa_ext",
      "-out",
      "tsa.crt",
    ]),
  );
  return { caCert: path.join(dir, "ca.crt"), tsaCert: path.join(dir, "tsa.crt") };
}

/** The TSA's reply (DER TimeStampResp) to a query file, as `openssl ts -reply` makes it. */
export function tsaReply(dir: string, query: Buffer): Buffer {
  const q = path.join(dir, `query-${process.hrtime.bigint()}.tsq`);
  fs.writeFileSync(q, query);
  try {
    return openssl(dir, ["ts", "-reply", "-config", "tsa.cnf", "-queryfile", q]);
  } finally {
    fs.rmSync(q, { force: true });
  }
}

/** A token for other bytes than a package's note, made by the same TSA (for the "token for another note" test). */
export function tsaReplyFor(dir: string, data: Buffer): Buffer {
  const d = path.join(dir, "other-data.bin");
  fs.writeFileSync(d, data);
  return tsaReply(dir, openssl(dir, ["ts", "-query", "-data", d, "-sha256", "-cert"]));
}

export type TestTsa = { url: string; caCert: string; tsaCert: string; dir: string; queries: number; close: () => Promise<void> };

/** Starts the TSA on 127.0.0.1 (a free port); every POST body is answered by `openssl ts -reply`. */
export async function startTestTsa(dir: string): Promise<TestTsa> {
  const certs = makeTsaCertificates(dir);
  const tsa: TestTsa = { url: "", dir, ...certs, queries: 0, close: async () => {} };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      tsa.queries++;
      if (req.method !== "POST" || req.headers["content-type"] !== "application/timestamp-query") {
        res.writeHead(400).end("POST application/timestamp-query");
        return;
      }
      try {
        const reply = tsaReply(dir, Buffer.concat(chunks));
        res.writeHead(200, { "content-type": "application/timestamp-reply" }).end(reply);
      } catch (err) {
        res.writeHead(500).end(String(err));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  tsa.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/tsa`;
  tsa.close = () => new Promise((resolve) => server.close(() => resolve()));
  return tsa;
}
