// `npm run bench -- <name> [options]`: benchmarks. They print their figures; nothing here asserts on time.
//   ingest     [--records N] [--stream-gb G]   end-to-end ingest rate vs raw COPY rate, peak RSS
//   correlate  [--events N]                    the correlation engine over N normalized events, in memory
//   export     [--events N]                    a case citing N events exported as an evidence zip, then verified
//   session-list [--events N] [--rounds R] [--fresh]  p50/p95/max of the sessions list query at ~1M events (cached db)
//   lineage    [--edges N] [--fresh]            building the lineage graph of a root that reaches N edges (cached db)
//   analytics  [--events N] [--rounds R] [--batch B] [--fresh]  governance checks, risk rules, coverage, compliance at ~1M events (cached db)
//   merkle     [--leaves N]                    Merkle root of N leaves, 100,000 inclusion proofs and verifications
//   read       [--mb M]                        record splitter rate; an M MB stream and its RSS growth
//   sources    [--records N]                   source side of ingest per platform; normalize rate per platform
//   session-page                               first paint of a 10,000-event session page in chromium (Playwright)
//   tamper     [--only id,id]                  the 12 database tamper cases: detected and named by ledger verify (with/without the log)
//   killcampaign [--records N]                 5 SIGKILLs of `cli ingest` during an N-record ingest (default 100,000), then a re-run
const [benchName, ...rest] = process.argv.slice(2);

const benches: Record<string, () => Promise<{ run: (args: string[]) => Promise<void> }>> = {
  ingest: () => import("./bench/ingest"),
  correlate: () => import("./bench/correlate"),
  export: () => import("./bench/export"),
  "session-list": () => import("./bench/session-list"),
  lineage: () => import("./bench/lineage"),
  "session-page": () => import("./bench/session-page"),
  analytics: () => import("./bench/analytics"),
  merkle: () => import("./bench/merkle"),
  read: () => import("./bench/read"),
  sources: () => import("./bench/sources"),
  tamper: () => import("./bench/tamper"),
  killcampaign: () => import("./bench/kill-campaign"),
};

async function main() {
  if (!benchName || !(benchName in benches)) {
    console.error(`usage: npm run bench -- <${Object.keys(benches).join("|")}> [options]`);
    process.exit(2);
  }
  const mod = await benches[benchName]();
  await mod.run(rest);
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
export {};
