// Which field of a platform's record counts the rows (records) an event moved, read from event.data.extra where the
// source keeps it under the vendor's own name. First field present wins, in the order listed. Platforms whose records
// carry no such count (GitHub, Google Workspace, Okta …) are absent: their headline volume is the count of events.
// TODO: this is vendor knowledge and belongs in each platform's profile (DESIGN.md §1); kept here until the profiles
// have a slot for it.

export type VolumeField = {
  platform: string;
  /** The key in event.data.extra, as the source writes it. */
  field: string;
  /** What one event carrying the count is ("queries", "API calls"); a query-shaped call is named a query. */
  unit: string;
};

export const VOLUME_FIELDS: readonly VolumeField[] = [
  // Salesforce EventLogFile API / RestApi / BulkApi rows: ROWS_PROCESSED is the number of rows the request processed
  // (lib/sources/salesforce/event-monitoring.ts keeps it, with RECORDS_PROCESSED / ROW_COUNT as fallbacks);
  // https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_eventlogfile.htm
  { platform: "salesforce", field: "ROWS_PROCESSED", unit: "API calls" },
  // Real-Time Event Monitoring ApiEvent / ReportEvent: RowsProcessed. ApiEvent tracks query(), queryMore() and count()
  // calls only; https://developer.salesforce.com/docs/platform/field-reference/references/field-reference/salesforce-field-reference-apievent.html
  { platform: "salesforce", field: "RowsProcessed", unit: "API calls" },
  // Snowflake ACCOUNT_USAGE.QUERY_HISTORY: ROWS_UNLOADED is the rows a COPY INTO <location> wrote out, ROWS_PRODUCED
  // the rows the statement produced; https://docs.snowflake.com/en/sql-reference/account-usage/query_history
  { platform: "snowflake", field: "ROWS_UNLOADED", unit: "queries" },
  { platform: "snowflake", field: "ROWS_PRODUCED", unit: "queries" },
];
