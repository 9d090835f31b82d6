// `npm run bench -- <name> [options]`: benchmarks. They print their figures; nothing here asserts on time.
//   ingest     [--records N] [--stream-gb G]   end-to-end ingest rate vs raw COPY rate, peak RSS
//   correlate  [--events N]                    the correlation engine over N normalized events, in memory
//   export     [--events N]                    a case citing N events exported as an evidence zip, then verified
const [benchName, ...rest] = process.argv.slice(2);

const benches: Record<string, () => Promise<{ run: (args: string[]) => Promise<void> }>> = {
  ingest: () => import("./bench/ingest"),
  correlate: () => import("./bench/correlate"),
  export: () => import("./bench/export"),
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
