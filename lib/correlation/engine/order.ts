import type { CorrelationEvent } from "../types";
import type { CorrelationState } from "./state";

// Phase 0: time order (then id) makes every later phase deterministic, whatever order the events arrive in.
// Times are parsed once; the sort compares numbers, and ids only on ties. From here on an event is its index in
// this order.

export function orderEvents(st: CorrelationState, input: readonly CorrelationEvent[]): void {
  const n = st.n;
  const inputTimes = new Float64Array(n);
  for (let i = 0; i < n; i++) inputTimes[i] = Date.parse(input[i].data.time);
  const perm = timeOrder(input, inputTimes);
  const { events, times } = st;
  for (let i = 0; i < n; i++) {
    events[i] = input[perm[i]];
    times[i] = inputTimes[perm[i]];
  }
}

const cmpId = (a: CorrelationEvent, b: CorrelationEvent) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * The input positions in time order, ties by id (string order). When the times span few enough milliseconds,
 * each (time, position) pair is packed into one float, exact below 2^53, and the floats are sorted natively,
 * without a comparator; runs of equal times are then put in id order. Otherwise (or with an unreadable time)
 * the comparator sort.
 */
function timeOrder(input: readonly CorrelationEvent[], times: Float64Array): ArrayLike<number> {
  const n = input.length;
  let sorted = true;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const t = times[i];
    if (Number.isNaN(t)) {
      min = NaN;
      break;
    }
    if (t < min) min = t;
    if (t > max) max = t;
    if (i > 0 && sorted) {
      const d = times[i - 1] - t;
      sorted = d < 0 || (d === 0 && input[i - 1].id < input[i].id);
    }
  }
  // Events usually arrive in time order already (loaded by id, ingested by time): then there is nothing to sort.
  if (sorted && !Number.isNaN(min)) return Uint32Array.from({ length: n }, (_, i) => i);
  const slots = 2 ** Math.ceil(Math.log2(Math.max(2, n)));
  if (Number.isNaN(min) || (max - min + 1) * slots > Number.MAX_SAFE_INTEGER) {
    const perm = Array.from({ length: n }, (_, i) => i);
    perm.sort((a, b) => times[a] - times[b] || cmpId(input[a], input[b]));
    return perm;
  }
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = (times[i] - min) * slots + i;
  keys.sort();
  const perm = new Uint32Array(n);
  for (let i = 0; i < n; i++) perm[i] = keys[i] % slots;
  // Equal times: id order (a stable sort, as the comparator sort leaves equal ids in input order).
  for (let i = 0; i < n;) {
    let j = i + 1;
    while (j < n && times[perm[j]] === times[perm[i]]) j++;
    if (j - i > 1) {
      const run = Array.from(perm.subarray(i, j)).sort((a, b) => cmpId(input[a], input[b]));
      perm.set(run, i);
    }
    i = j;
  }
  return perm;
}
