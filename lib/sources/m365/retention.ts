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
    // Confirmed: https://learn.microsoft.com/purview/audit-solutions-overview (stored copy read at learn.microsoft.com/hi-in/
    // purview/audit-solutions-overview, English text): "180-day audit log retention" for Audit (Standard) and Premium, "1-year
    // audit log retention" and "10-year audit log retention" (add-on license) for Premium only. An older stored copy
    // (MicrosoftDocs/microsoft-365-docs, ms.date 06/27/2023) still says 90 days for Standard and "Azure Active Directory,
    // Exchange, OneDrive, and SharePoint audit records are retained for one year by default" for Premium.
    // The 7-day Management Activity API window in the note below was not checked against the stored docs.
    doc: "https://learn.microsoft.com/purview/audit-solutions-overview",
    note: "The Management Activity API serves only the last 7 days of content: pull continuously.",
  },
];
