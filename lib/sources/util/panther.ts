import { NormalizeError } from "../types";
import { isRec } from "./fields";

// Panther's rule-test exports (shared/fixtures/vendor-samples/*/panther_rule_tests_*.jsonl) wrap each vendor
// record as {"_source_file", "_test_name", "_log_type", "event": <vendor record>}. They are the public sample
// corpus this project tests against, and analysts export the same shape from Panther, so the sources accept it:
// the vendor record inside is normalized; the wrapper's bytes stay the raw record in the ledger.

export type Unwrapped = { record: unknown; logType: string | null };

function isPantherWrapper(v: unknown): v is { _log_type: string; event: Record<string, unknown> } {
  return isRec(v) && typeof v._log_type === "string" && isRec(v.event) && ("_test_name" in v || "_source_file" in v);
}

/**
 * The vendor record inside a Panther wrapper whose _log_type matches `accepts`, or the record itself when it is
 * not wrapped. A wrapper of another log type is refused with a reason naming it.
 */
export function unwrapPanther(record: unknown, accepts: RegExp, platformLabel: string): Unwrapped {
  if (!isPantherWrapper(record)) return { record, logType: null };
  if (!accepts.test(record._log_type)) {
    throw new NormalizeError(`Panther ${record._log_type} record: not a ${platformLabel} record`);
  }
  return { record: record.event, logType: record._log_type };
}

/** The Panther log type of a probe record, if it is a wrapper (used by detect). */
export function pantherLogType(v: unknown): string | null {
  return isPantherWrapper(v) ? v._log_type : null;
}
