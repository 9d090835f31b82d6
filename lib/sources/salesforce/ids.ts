// Salesforce record ids come in two spellings: the 15-character case-sensitive id (what EventLogFile columns
// such as USER_ID, CONNECTED_APP_ID and REPORT_ID hold) and the 18-character case-insensitive id (the *_DERIVED
// columns, and every id the REST/SOAP APIs return: LoginHistory.UserId, SetupAuditTrail.CreatedById, …). The
// 18-character form is the 15-character id plus a documented 3-character checksum of its letter case, so the
// conversion is exact: computing it lets an ELF row and an API record about the same user join on one id.

const SUFFIX = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
const ID15 = /^[a-zA-Z0-9]{15}$/;

/** The 18-character form of a 15-character Salesforce id; any other value is returned unchanged. */
export function toId18(id: string): string {
  if (!ID15.test(id)) return id;
  let suffix = "";
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id.charCodeAt(chunk * 5 + i);
      if (c >= 65 && c <= 90) bits |= 1 << i; // an upper-case letter sets its position's bit
    }
    suffix += SUFFIX[bits];
  }
  return id + suffix;
}

/** Prefer the 18-character column (…_DERIVED); else convert the 15-character one. */
export function id18(derived: string | null, raw: string | null): string | null {
  return derived ?? (raw === null ? null : toId18(raw));
}
