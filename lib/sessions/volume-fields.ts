import { volumeFields } from "@/lib/sources/registry";

// Which field of a platform's record counts the rows (records) an event moved, read from event.data.extra where the
// source keeps it under the vendor's own name: each platform's profile declares them (volumeFields,
// lib/sources/<platform>/profile.ts). First field present wins, in the order listed. Platforms whose records carry no
// such count (GitHub, Google Workspace, Okta …) have none: their headline volume is the count of events.

export type VolumeField = {
  platform: string;
  /** The key in event.data.extra, as the source writes it. */
  field: string;
  /** What one event carrying the count is ("queries", "API calls"); a query-shaped call is named a query. */
  unit: string;
};

export const VOLUME_FIELDS: readonly VolumeField[] = volumeFields();
