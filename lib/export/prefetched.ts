// Pages fetched ahead: the query for the next page (`depth` pages) runs in PostgreSQL while the current page is
// being zipped. One ahead measured best here: a second query in flight only adds contention on two cores.
export async function* prefetched<T>(count: number, fetch: (page: number) => Promise<T>, depth = 1): AsyncGenerator<T> {
  const inflight: Promise<T>[] = [];
  let next = 0;
  const fill = () => {
    while (next < count && inflight.length < depth) {
      const p = fetch(next++);
      // A rejected prefetch is awaited (and thrown) in its turn; keep it from counting as unhandled meanwhile.
      p.catch(() => undefined);
      inflight.push(p);
    }
  };
  fill();
  while (inflight.length > 0) {
    const current = inflight.shift()!;
    fill();
    yield await current;
  }
}
