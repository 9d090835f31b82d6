// Module resolve hook registered by scripts/server-only.mjs.
const EMPTY = new URL("../node_modules/next/dist/compiled/server-only/empty.js", import.meta.url).href;

export async function resolve(specifier, context, nextResolve) {
  if (specifier === "server-only") return { url: EMPTY, shortCircuit: true };
  return nextResolve(specifier, context);
}
