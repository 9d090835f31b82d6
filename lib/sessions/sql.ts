import type { IdentityKind, IdentityRef } from "./types";

// Small helpers shared by the lib/sessions queries.

/** An identity reference from joined columns (null when the session or credential has no identity). */
export function identityRef(
  id: string | null,
  kind: IdentityKind | string | null,
  name: string | null,
  email: string | null,
): IdentityRef | null {
  return id ? { id, kind: (kind ?? "unknown") as IdentityKind, name: name ?? "(unnamed)", email } : null;
}

/** The session columns and the joined identity (i*) and initiator (n*) columns both session queries select. */
export type SessionJoinedRow = {
  id: string;
  platform: string;
  sessionKey: string;
  keyType: string;
  rule: string;
  confidence: number;
  startedAt: Date;
  endedAt: Date;
  eventCount: number;
  srcIps: string[];
  riskLevel: string | null;
  riskScore: number;
  iId: string | null;
  iKind: IdentityKind | null;
  iName: string | null;
  iEmail: string | null;
  nId: string | null;
  nKind: IdentityKind | null;
  nName: string | null;
  nEmail: string | null;
};
