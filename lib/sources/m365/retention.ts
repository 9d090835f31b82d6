import { anyEvent, type LogTypeRetention } from "../vendor-retention";

export const M365_RETENTION: readonly LogTypeRetention[] = [
  {
    id: "unified-audit-log",
    label: "Unified Audit Log (Purview Audit)",
    tiers: [
      { tier: "Audit (Standard)", days: 180 },
      { tier: "Audit (Premium), E5", days: 365 },
    ],
    match: anyEvent,
    // https://learn.microsoft.com/purview/audit-solutions-overview (MicrosoftDocs/microsoft-365-docs
    // microsoft-365/compliance/audit-solutions-overview.md): Standard keeps audit records 180 days; Premium keeps Entra,
    // Exchange and SharePoint records one year by default, longer with retention policies (up to 10 years with the add-on).
    doc: "https://learn.microsoft.com/purview/audit-solutions-overview",
    note: "The Management Activity API serves only the last 7 days of content: pull continuously.",
  },
];
