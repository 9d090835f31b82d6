import fs from "node:fs";
import path from "node:path";
import nextCoreWebVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";

// Layer boundaries (DESIGN.md, "The data flow"). A folder of lib/ may import its own layer and the layers
// below it, never one above: data flows up from the sources to the pages, and a lower layer that calls a
// higher one hides a second pipeline in it. Orchestration that spans layers lives above them (lib/analysis).
const LAYERS = [
  ["sources", "events"],
  ["ledger", "ingest"],
  ["correlation"],
  ["governance", "risk", "coverage", "compliance", "sessions"],
  ["cases", "export", "retention", "tokens", "analysis"],
];
// Usable from anywhere in lib/. They may reach the two bottom layers only: the audit trail is itself written
// into the ledger, through ingest's source registry.
const INFRASTRUCTURE = ["audit", "auth", "context", "users", "db", "errors", "env", "secrets", "generated", "list-result"];
// Entry points over lib/ (route-handler wrapper, CLI, demo loader, health check): they may import any layer.
const ENTRY = ["api", "cli", "demo", "system"];

const folderOf = (name) => name.replace(/\.(test\.)?tsx?$/, "");
const classified = new Set([...LAYERS.flat(), ...INFRASTRUCTURE, ...ENTRY]);
const unclassified = fs
  .readdirSync(path.join(import.meta.dirname, "lib"))
  .map(folderOf)
  .filter((f) => !classified.has(f));
if (unclassified.length > 0) {
  // Fails the lint run (and so `npm test`) until the new folder is given its place in the data flow.
  throw new Error(`eslint.config.mjs: put lib/${unclassified.join(", lib/")} into LAYERS, INFRASTRUCTURE or ENTRY`);
}

// Matches "@/lib/<folder>/…" and relative paths that climb out to a sibling folder ("../<folder>/…").
const libFolder = (names) => `^(@/lib/|(\\.\\./)+(lib/)?)(${names.join("|")})(/|$)`;
const outsideLib = {
  regex: "^(@/|(\\.\\./)+)(app|components|scripts|e2e)(/|$)",
  message: "lib/ never imports app/, components/, scripts/ or e2e/.",
};

const restrict = (files, patterns) => ({
  files,
  // Tests sit at the top: they may import any layer to build their data.
  ignores: ["**/*.test.ts", "**/*.test.tsx", "lib/**/testing/**"],
  rules: { "no-restricted-imports": ["error", { patterns }] },
});

const dirs = (names) => names.map((n) => `lib/${n}/**`).concat(names.map((n) => `lib/${n}.ts`));
const layerBlocks = LAYERS.map((layer, i) => {
  const above = [...LAYERS.slice(i + 1).flat(), ...ENTRY];
  return restrict(dirs(layer), [
    {
      regex: libFolder(above),
      message: `lib/${layer.join(", lib/")} must not import a higher layer (${above.join(", ")}); see the LAYERS list in eslint.config.mjs.`,
    },
    outsideLib,
  ]);
});
const forbiddenToInfra = [...LAYERS.slice(2).flat(), ...ENTRY];
const infraBlock = restrict(dirs(INFRASTRUCTURE), [
  {
    regex: libFolder(forbiddenToInfra),
    message: `Infrastructure (lib/${INFRASTRUCTURE.join(", lib/")}) must not import ${forbiddenToInfra.join(", ")}.`,
  },
  outsideLib,
]);
const entryBlock = restrict(dirs(ENTRY), [outsideLib]);

const dbImport = {
  regex: "^(@/|(\\.\\./)+)lib/(db|generated)(/|$)|^server-only$|^pg$",
  message: "Only lib/ talks to the database: fetch through a lib/ function.",
};
const uiBlock = { files: ["components/**", "app/**"], rules: { "no-restricted-imports": ["error", { patterns: [dbImport] }] } };

// Client files ("use client") are bundled for the browser: a value import of a module that reaches the
// database (lib/db, or a lib/ module that imports it or is marked server-only) is refused; type imports are
// erased and stay allowed. Next's build catches deeper chains through the "server-only" marker in lib/db.ts.
const serverOnlySource = new Map();
function reachesServer(spec) {
  if (/^(server-only|pg|node:.*)$/.test(spec) || /^@\/lib\/(db|generated)(\/|$)/.test(spec)) return true;
  if (!spec.startsWith("@/lib/")) return false;
  if (!serverOnlySource.has(spec)) {
    const base = path.join(import.meta.dirname, spec.slice(2));
    const file = [".ts", ".tsx", "/index.ts"].map((ext) => base + ext).find((f) => fs.existsSync(f));
    const text = file ? fs.readFileSync(file, "utf8") : "";
    serverOnlySource.set(spec, /^import\s[^;]*?["'](@\/lib\/db|server-only|\.\.?\/db)["']/m.test(text));
  }
  return serverOnlySource.get(spec);
}
const clientBoundary = {
  meta: {
    type: "problem",
    schema: [],
    messages: {
      server: "A client file must not import {{spec}}: it reaches the database. Pass the data from a server component, or import a type.",
    },
  },
  create(context) {
    const body = context.sourceCode.ast.body;
    const isClient = body.some((s) => s.type === "ExpressionStatement" && s.directive === "use client");
    if (!isClient) return {};
    return {
      ImportDeclaration(node) {
        const typeOnly =
          node.importKind === "type" || (node.specifiers.length > 0 && node.specifiers.every((s) => s.importKind === "type"));
        if (!typeOnly && reachesServer(node.source.value)) context.report({ node, messageId: "server", data: { spec: node.source.value } });
      },
    };
  },
};

const config = [
  ...nextCoreWebVitals,
  ...nextTypescript,
  {
    ignores: [
      "node_modules/**",
      ".next/**",
      "lib/generated/**",
      "data/**",
      "data-*/**",
      "test-results/**",
      "playwright-report/**",
      ".tmp/**",
      "next-env.d.ts",
    ],
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-definitions": ["error", "type"],
    },
  },
  ...layerBlocks,
  infraBlock,
  entryBlock,
  uiBlock,
  {
    files: ["app/**/*.{ts,tsx}", "components/**/*.{ts,tsx}"],
    plugins: { sessionproof: { rules: { "client-boundary": clientBoundary } } },
    rules: { "sessionproof/client-boundary": "error" },
  },
];

export default config;
