import crypto from "node:crypto";

// The few DER structures of RFC 3161 the exporter writes and reads: a TimeStampReq for the SHA-256 of a note, and
// in a TimeStampResp the status, the token's message imprint, nonce and time. The token's CMS signature is not
// checked here: the package's verifier does that with the TSA certificate the auditor trusts (verify.mjs, through
// `openssl ts -verify`). verify.mjs carries its own copy of the reading half, since it must run without this code.

const SHA256_OID = Buffer.from("0609608648016503040201", "hex"); // 2.16.840.1.101.3.4.2.1 (tag and length included)
const TST_INFO_OID = "2a864886f70d0109100104"; // 1.2.840.113549.1.9.16.1.4 (id-ct-TSTInfo), content only

function encode(tag: number, content: Buffer): Buffer {
  const n = content.length;
  const len = n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), len, content]);
}

type Tlv = { tag: number; content: Buffer };

function readTlv(buf: Buffer, at: number): Tlv & { end: number } {
  if (at + 2 > buf.length) throw new Error("truncated DER");
  const tag = buf[at];
  let len = buf[at + 1];
  let start = at + 2;
  if (len & 0x80) {
    const bytes = len & 0x7f;
    if (bytes === 0 || bytes > 4 || start + bytes > buf.length) throw new Error("bad DER length");
    len = 0;
    for (let i = 0; i < bytes; i++) len = len * 256 + buf[start + i];
    start += bytes;
  }
  if (start + len > buf.length) throw new Error("truncated DER");
  return { tag, content: buf.subarray(start, start + len), end: start + len };
}

function children(buf: Buffer): Tlv[] {
  const out: Tlv[] = [];
  for (let at = 0; at < buf.length;) {
    const t = readTlv(buf, at);
    out.push(t);
    at = t.end;
  }
  return out;
}

/** A TimeStampReq (RFC 3161 2.4.1) for `hash` (SHA-256), with a random nonce, asking the TSA to include its certificate. */
export function timestampRequest(hash: Buffer): { der: Buffer; nonce: Buffer } {
  const nonce = crypto.randomBytes(8);
  nonce[0] = (nonce[0] & 0x7f) | 0x40; // positive, and minimal as DER requires
  const imprint = encode(0x30, Buffer.concat([encode(0x30, Buffer.concat([SHA256_OID, Buffer.from([0x05, 0x00])])), encode(0x04, hash)]));
  const der = encode(0x30, Buffer.concat([Buffer.from([0x02, 0x01, 0x01]), imprint, encode(0x02, nonce), Buffer.from([0x01, 0x01, 0xff])]));
  return { der, nonce };
}

export type TimestampReply = {
  /** PKIStatus: 0 granted, 1 granted with modifications, 2+ refused. */
  status: number;
  /** The token's message imprint; null when the response carries no token. */
  hashAlgorithm: "sha256" | "other" | null;
  hashedMessage: Buffer | null;
  nonce: Buffer | null;
  genTime: Date | null;
};

function generalizedTime(text: string): Date {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\.\d+)?Z$/.exec(text);
  if (!m) throw new Error(`bad GeneralizedTime ${text}`);
  const ms = m[7] ? Math.round(Number(`0${m[7]}`) * 1000) : 0;
  return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], ms));
}

/** Reads a DER TimeStampResp (RFC 3161 2.4.2): status, and from the token's TSTInfo the imprint, nonce and time. */
export function readTimestampReply(der: Buffer): TimestampReply {
  const resp = readTlv(der, 0);
  if (resp.tag !== 0x30 || resp.end !== der.length) throw new Error("not a TimeStampResp");
  const [statusInfo, token] = children(resp.content);
  const status = children(statusInfo.content)[0];
  if (status?.tag !== 0x02) throw new Error("TimeStampResp without a status");
  const out: TimestampReply = {
    status: status.content.readUIntBE(0, Math.min(status.content.length, 6)),
    hashAlgorithm: null,
    hashedMessage: null,
    nonce: null,
    genTime: null,
  };
  if (!token) return out;
  // ContentInfo { signedData OID, [0] SignedData { version, digestAlgorithms, encapContentInfo { TSTInfo OID, [0] OCTET STRING } ... } }
  const signedData = children(children(token.content)[1].content)[0];
  const encap = children(signedData.content)[2];
  const [contentType, explicit] = children(encap.content);
  if (contentType.content.toString("hex") !== TST_INFO_OID) throw new Error("the token's content is not a TSTInfo");
  const tstInfo = children(readTlv(children(explicit.content)[0].content, 0).content);
  const [alg, hashed] = children(tstInfo[2].content);
  out.hashAlgorithm = children(alg.content)[0].content.equals(SHA256_OID.subarray(2)) ? "sha256" : "other";
  out.hashedMessage = Buffer.from(hashed.content);
  out.genTime = generalizedTime(tstInfo[4].content.toString("latin1"));
  // After genTime: accuracy (SEQUENCE) and ordering (BOOLEAN) are optional; the nonce is the first INTEGER after them.
  const nonce = tstInfo.slice(5).find((t) => t.tag === 0x02);
  out.nonce = nonce ? Buffer.from(nonce.content) : null;
  return out;
}
