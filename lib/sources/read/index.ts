// Streaming record readers: exact record bytes out of JSON arrays, NDJSON, envelopes and single objects,
// gzip or not. See splitter.ts for what counts as a record.
export { readRecords, isLinesFileName } from "./read-records";
export type { ReadOptions, RecordItem, RawRecordItem, RawRecordError, ReadSummary, RecordReader } from "./read-records";
export { probeFile } from "./probe";
export type { FileProbe } from "./probe";
export { RecordSplitter, ENVELOPE_KEYS } from "./splitter";
export type { SplitItem, SplitterOptions } from "./splitter";
