// Generates the Prisma client. Prisma 7's CLI wants to download a native schema engine from a host this
// machine cannot reach; `generate` does not need it, so we point the engine at a stub that fails loudly
// (never /bin/true: migrate commands would then "succeed" doing nothing). See DESIGN section 5.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

if (!existsSync("prisma/schema.prisma")) process.exit(0);
const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? "/bin/false",
  CHECKPOINT_DISABLE: "1",
  PRISMA_HIDE_UPDATE_MESSAGE: "1",
};
const r = spawnSync("npx", ["--no-install", "prisma", "generate"], { stdio: "inherit", env });
process.exit(r.status ?? 1);
