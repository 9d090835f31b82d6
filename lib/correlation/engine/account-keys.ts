// What makes two actor records one account, and two accounts one identity. The engine (engine/scan.ts,
// engine/identities.ts) joins on these, and incremental correlation (correlation-keys.ts) stores and looks up
// the same values, so both read them from here: a rule changed in one place only would let an incremental run
// miss events a full pass joins.
// The functions take the fields rather than an actor object and return strings or small numbers, so the
// engine's pass over a million events calls them without allocating.

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The field an account is keyed by on its platform: the actor id, else the login (lowercased), else the name. */
const ACCOUNT_KEY_TYPES = ["id", "login", "name"] as const;
/** An index into ACCOUNT_KEY_TYPES. */
export type AccountKeyType = 0 | 1 | 2;

/** Which field keys the actor's account, or -1 when the record names no actor. */
export function accountKeyType(externalId: string | null, login: string | null, name: string | null): AccountKeyType | -1 {
  return externalId ? 0 : login ? 1 : name ? 2 : -1;
}

/** The value of that field as keyed (logins are compared case-insensitively). */
export function accountKeyValue(type: AccountKeyType, externalId: string | null, login: string | null, name: string | null): string {
  return type === 0 ? externalId! : type === 1 ? login!.toLowerCase() : name!;
}

/** An account's key: platform|id|actor id, else platform|login|lowercased login, else platform|name|name. */
export function accountKey(platform: string, type: AccountKeyType, value: string): string {
  return `${platform}|${ACCOUNT_KEY_TYPES[type]}|${value}`;
}

/** The actor's own email, lowercased. */
export function emailKey(email: string | null | undefined): string | null {
  return email ? email.toLowerCase() : null;
}

/** A login shaped like an email, lowercased: it merges accounts as an email does. */
export function loginEmail(login: string | null): string | null {
  return login && EMAIL.test(login) ? login.toLowerCase() : null;
}

/** The email an actor record votes for: its own email, else an email-shaped login. */
export function actorEmail(email: string | null, login: string | null): string | null {
  return emailKey(email) ?? loginEmail(login);
}

/** Accounts with the same login (case-insensitive) on one platform are one person. */
export function platformLoginKey(platform: string, login: string): string {
  return `${platform}|${login.toLowerCase()}`;
}

/** Who acted through the actor's identity, as a record names them in extra.initiator (e.g. Salesforce Login-As). */
export type Initiator = { external_id: string | null; login: string | null; name: string | null; via: string | null };

/** Whether extra.initiator is a record to read (an object, not an array). */
export function hasInitiator(ini: unknown): ini is Record<string, unknown> {
  return !!ini && typeof ini === "object" && !Array.isArray(ini);
}

const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : null);

/** The initiator an event names, its empty or non-string fields as null; null when it names none. */
export function initiatorOf(extra: Record<string, unknown> | null | undefined): Initiator | null {
  const ini = extra?.initiator;
  if (!hasInitiator(ini)) return null;
  return { external_id: str(ini.external_id), login: str(ini.login), name: str(ini.name), via: str(ini.via) };
}
