import { STATUS_LABEL, type CheckStatus } from "@/lib/governance/types";
import { kindLabel, platformLabel } from "@/lib/sessions/words";

// A finding's evidence (the JSON each rule writes, lib/risk/rules.ts) as labelled fields in words: a label per key,
// values in the product's own words (platform names, identity kinds, governance statuses), nested records and lists
// written out as text, never as JSON. Pure: the finding page and the case report can both use it.

export type EvidenceField = { key: string; label: string; value: string };

const LABELS: Record<string, string> = {
  action: "Action",
  actions: "Actions",
  activities: "Activities",
  actor: "Actor (as the record names it)",
  application: "Application",
  approved: "Approved",
  category: "Category",
  changedMidSession: "Changed mid-session",
  checkStatus: "Governance verdict",
  credential: "Credential",
  credentialKind: "Credential kind",
  delegated: "Delegated",
  email: "Email",
  exports: "Exports",
  grant: "Grant",
  grantId: "Grant id",
  granted: "Granted",
  grantedScopes: "Granted scopes",
  hour: "Hour",
  id: "Id",
  identities: "Identities",
  identityKind: "Identity kind",
  initiator: "Initiated by",
  initiatorKind: "Initiator kind",
  issuedAt: "Issued",
  kind: "Kind",
  lastSeenAt: "Last seen",
  lastUsedAt: "Last used",
  minutesOutside: "Minutes outside the grant window",
  name: "Name",
  newNetwork: "New network",
  owner: "Owner",
  ownerStatus: "Owner status",
  peakReadsPerHour: "Peak reads in one hour",
  platform: "Platform",
  platforms: "Platforms",
  principal: "Principal",
  priorSessions: "Earlier sessions",
  privilege: "Privilege",
  privilegedChanges: "Privileged changes",
  ratio: "Ratio",
  reads: "Reads",
  reason: "Why",
  reasons: "Why",
  rules: "Failed checks",
  sameEmail: "Same email",
  sameName: "Same name",
  scopes: "Scopes",
  signIns: "Sign-ins",
  sourceIps: "Source IPs",
  status: "Status",
  statuses: "Failing checks",
  target: "Target",
  ticket: "Ticket",
  tickets: "Tickets",
  usedActivities: "Activities used",
  usedPrivilege: "Privilege used",
  invisible: "Invisible characters",
};

/** camelCase or snake_case key -> "Words like this" (for keys the table does not know). */
export function keyLabel(k: string): string {
  if (LABELS[k]) return LABELS[k];
  const w = k
    .replace(/_/g, " ")
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .trim();
  return w.charAt(0).toUpperCase() + w.slice(1);
}

const isStatus = (v: string): v is CheckStatus => Object.hasOwn(STATUS_LABEL, v);

/** One value in words; `key` picks the vocabulary (platforms, kinds, statuses). */
export function valueText(key: string, v: unknown): string {
  if (v === null || v === undefined || v === "") return "—";
  if (typeof v === "boolean") return v ? "yes" : "no";
  if (typeof v === "number") return v.toLocaleString("en");
  if (typeof v === "string") {
    if (key === "platform" || key === "platforms") return platformLabel(v);
    if (/kind$/i.test(key)) return kindLabel(v);
    if ((key === "checkStatus" || key === "statuses" || key === "status") && isStatus(v)) return STATUS_LABEL[v];
    return v;
  }
  if (Array.isArray(v))
    return v.length === 0 ? "none" : v.map((x) => valueText(key, x)).join(key === "rules" || key === "reasons" ? "; " : ", ");
  if (typeof v === "object") {
    const o = v as Record<string, unknown>;
    // A governance rule outcome {rule, result, status, reason}: the reason says it in words.
    if (typeof o.reason === "string" && (typeof o.rule === "string" || typeof o.status === "string")) {
      const head = typeof o.status === "string" && isStatus(o.status) ? STATUS_LABEL[o.status] : String(o.rule ?? o.status);
      return `${head}: ${o.reason}`;
    }
    return Object.entries(o)
      .filter(([, x]) => x !== null && x !== undefined)
      .map(([k, x]) => `${keyLabel(k)}: ${valueText(k, x)}`)
      .join("; ");
  }
  return String(v);
}

/** The evidence as labelled fields, in the rule's order; `omit` leaves out keys the page shows elsewhere. */
export function evidenceFields(evidence: Record<string, unknown>, omit: readonly string[] = []): EvidenceField[] {
  return Object.entries(evidence)
    .filter(([k]) => !omit.includes(k))
    .map(([key, v]) => ({ key, label: keyLabel(key), value: valueText(key, v) }));
}
