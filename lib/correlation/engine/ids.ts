import * as nodeCrypto from "node:crypto";

// SHA-256 of the key in one native call (crypto.hash, Node >= 20.12; createHash before), laid out as a version 5
// UUID. Ids are computed once per identity, credential and session, never per event. The UUID is written into one
// reused byte buffer and read out as one flat string: built by slicing and concatenating, each of the million
// ids would be a tree of string pieces several times its size.
const sha256Hex: (s: string) => string =
  typeof nodeCrypto.hash === "function"
    ? (s) => nodeCrypto.hash("sha256", s, "hex")
    : (s) => nodeCrypto.createHash("sha256").update(s).digest("hex");
const UUID_VARIANT = "89ab";
/** Where the 32 hex digits of the first 16 bytes go in the 36-character UUID (dashes at 8, 13, 18, 23). */
const UUID_POS = [0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 14, 15, 16, 17, 19, 20, 21, 22, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35];
const uuidBuf = Buffer.alloc(36, "-");

/** A UUID derived from its parts (SHA-256, version 5 layout), so the same key always gets the same id. */
export function stableId(...parts: string[]): string {
  const x = sha256Hex(parts.join("\u0000"));
  for (let j = 0; j < 32; j++) uuidBuf[UUID_POS[j]] = x.charCodeAt(j);
  // Version nibble 5; variant bits 10 (the first digit of the fourth group becomes 8, 9, a or b).
  uuidBuf[14] = 0x35;
  uuidBuf[19] = UUID_VARIANT.charCodeAt(parseInt(x[16], 16) & 3);
  return uuidBuf.toString("latin1", 0, 36);
}
