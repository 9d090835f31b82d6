// `node --import ./scripts/server-only.mjs`: lets plain Node (the CLI, `npm start`, benches) load modules
// marked `import "server-only"` (lib/db.ts). The marker is for Next's bundler, which resolves it itself and
// refuses it in client bundles; the `server-only` package is not installed (next ships its own copy), and its
// default export throws outside the react-server condition. Outside Next there is no client bundle to guard.
import { register } from "node:module";

register("./server-only-hooks.mjs", import.meta.url);
