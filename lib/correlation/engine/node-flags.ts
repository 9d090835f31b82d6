// V8 flags for the processes that run the correlation engine: the web server (background runs after ingest), the
// CLI's `correlate` and the correlate benchmark. The engine allocates millions of short-lived objects per million
// events; with V8's default young generation (16 MB semi-spaces) many of them survive a scavenge and get copied,
// then promoted. 128 MB semi-spaces let them die young: 1M events took 7.5-8.7 s with the default and 6.8-7.5 s
// with this on this 2-core machine (`npm run bench -- correlate`; 10.6-12.7 s against 9.1-9.4 s before the engine
// dropped its per-event maps). It costs up to ~384 MB of young-generation
// memory while correlating, which a process holding a full pass (2+ GB at 1M events) already has room for.
export const CORRELATION_NODE_FLAGS = ["--max-semi-space-size=128"] as const;
