import type { LogTypeRetention } from "../vendor-retention";

// https://learn.microsoft.com/entra/identity/monitoring-health/reference-reports-data-retention (MicrosoftDocs/entra-docs
// docs/identity/monitoring-health/reference-reports-data-retention.md): audit logs and sign-ins, Free 7 days, P1/P2 30 days.
// Confirmed in the stored page: "| Audit logs | Seven days | 30 days | 30 days |" and "| Sign-ins | Seven days | 30 days | 30 days |".
const DOC = "https://learn.microsoft.com/entra/identity/monitoring-health/reference-reports-data-retention";

export const ENTRA_RETENTION: readonly LogTypeRetention[] = [
  {
    id: "sign-in",
    label: "Sign-in logs",
    tiers: [
      { tier: "Entra ID Free", days: 7 },
      { tier: "Entra ID P1/P2", days: 30 },
    ],
    // Sign-ins are OCSF Authentication (3002) events; everything else the source reads is the directory audit log.
    match: (e) => e.classUid === 3002,
    doc: DOC,
    note: "Route sign-in logs to a storage account or event hub (diagnostic settings) to keep them longer.",
  },
  {
    id: "audit",
    label: "Audit logs",
    tiers: [
      { tier: "Entra ID Free", days: 7 },
      { tier: "Entra ID P1/P2", days: 30 },
    ],
    match: () => true,
    doc: DOC,
    note: "Purview Audit (Standard/Premium) also keeps Entra audit events for 180 days / 1 year.",
  },
];
