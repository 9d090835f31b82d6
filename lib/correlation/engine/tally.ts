// Vote counting for the values an account, identity or session takes from its events (name, email, kind,
// identity, credential). Deterministic: ties go to a fixed order, then to the smallest value.

/** Counts `n` votes for `v` (nulls do not vote). */
export const add = <K>(m: Map<K, number>, v: K | null, n: number) => {
  if (v !== null && n > 0) m.set(v, (m.get(v) ?? 0) + n);
};

/** Counts one vote for `k` (nulls do not vote). */
export const bump = <K>(m: Map<K, number>, k: K | null) => {
  if (k !== null) m.set(k, (m.get(k) ?? 0) + 1);
};

/** The most frequent key; ties go to the first in `order` (or the smallest key), so the result is deterministic. */
export function top<K extends string>(m: Map<K, number>, order: readonly K[] = []): K | null {
  let best: K | null = null;
  let bestN = 0;
  const rank = (k: K) => {
    const i = order.indexOf(k);
    return i < 0 ? order.length : i;
  };
  for (const [k, n] of m) {
    if (n > bestN || (n === bestN && best !== null && (rank(k) < rank(best) || (rank(k) === rank(best) && k < best)))) {
      best = k;
      bestN = n;
    }
  }
  return best;
}

/** The value with the most votes (nulls do not vote), ties to the smallest: what top() gives, without a map when all agree. */
export function majority(idx: Int32Array, from: number, to: number, values: readonly (string | null)[]): string | null {
  let v0: string | null = null;
  let mixed = false;
  for (let j = from; j < to; j++) {
    const v = values[idx[j]];
    if (v === null) continue;
    if (v0 === null) v0 = v;
    else if (v !== v0) {
      mixed = true;
      break;
    }
  }
  if (!mixed) return v0;
  const m = new Map<string, number>();
  for (let j = from; j < to; j++) bump(m, values[idx[j]]);
  return top(m);
}
