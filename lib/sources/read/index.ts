// Streaming record readers: exact record bytes out of JSON arrays, NDJSON, envelopes and single objects,
// gzip or not. See splitter.ts for what counts as a record.
export { readRecords } from "./read-records";
export type { RecordItem } from "./read-records";
export { probeFile } from "./probe";
