import { parseArgs } from "node:util";
import { UsageError, type CliCommand } from "../command";

// The API description from the command line: the same document GET /api/v1/openapi.json serves, for API
// clients, code generators and reviews, without a running server or a database.

const openapiCmd: CliCommand = {
  name: "openapi",
  summary: "Print the OpenAPI 3.1 description of the REST API (or write it to a file)",
  usage: "[--out <file>]",
  help: [
    "Generated from the route contracts (lib/api/contracts.ts) and the route table (lib/auth/routes.ts): every",
    "route with its parameters, body and answer as JSON Schema, and who may call it. The server serves the same",
    "document at GET /api/v1/openapi.json.",
    "  --out <file>   write it to the file instead of printing it",
  ].join("\n"),
  database: "none",
  async run(args, io) {
    let out: string | undefined;
    try {
      ({ out } = parseArgs({ args, options: { out: { type: "string" } }, allowPositionals: false, strict: true }).values);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const { openApiDocument } = await import("@/lib/api/openapi");
    const doc = openApiDocument();
    const text = `${JSON.stringify(doc, null, 2)}\n`;
    if (!out) {
      io.out(text);
      return 0;
    }
    const fs = await import("node:fs");
    const path = await import("node:path");
    const file = path.resolve(out);
    fs.writeFileSync(file, text);
    const operations = Object.values(doc.paths).reduce((n, p) => n + Object.keys(p).length, 0);
    io.out(`Wrote the OpenAPI ${doc.openapi} description (${operations} operations) to ${file}.`);
    return 0;
  },
};

export const openapiCommands: readonly CliCommand[] = [openapiCmd];
