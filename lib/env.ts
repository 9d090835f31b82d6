import { z } from "zod";
import path from "node:path";
import { parseAddressRanges } from "@/lib/auth/address-ranges";

// The environment, validated once. Every variable Sessionproof reads is named here; a bad value stops the
// process with a message that says which variable is wrong and why.
const optionalString = z.preprocess((v) => (v === "" ? undefined : v), z.string().optional());

const envSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
    DATABASE_URL: z.preprocess(
      (v) => (v === "" ? undefined : v),
      z
        .string()
        .regex(/^postgres(ql)?:\/\//, "must be a postgresql:// connection URL")
        .optional(),
    ),
    // The schema owner's URL, with DATABASE_URL naming the app's own (unprivileged) role: migrations run as the owner
    // and grant DATABASE_URL's role what the app needs (lib/db/app-role.ts; README, Database roles).
    SESSIONPROOF_OWNER_DATABASE_URL: z.preprocess(
      (v) => (v === "" ? undefined : v),
      z
        .string()
        .regex(/^postgres(ql)?:\/\//, "must be a postgresql:// connection URL")
        .optional(),
    ),
    SESSIONPROOF_DATA_DIR: z.string().default("./data"),
    SESSIONPROOF_PG_PORT: z.coerce.number().int().min(1024).max(65535).optional(),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    SESSIONPROOF_HOST: z.string().default("127.0.0.1"),
    NEXTAUTH_URL: z.url().optional(),
    NEXTAUTH_SECRET: optionalString.pipe(z.string().min(32, "must be at least 32 characters").optional()),
    SESSIONPROOF_ADMIN_EMAIL: optionalString.pipe(z.email().optional()),
    SESSIONPROOF_ADMIN_PASSWORD: optionalString.pipe(z.string().min(12, "must be at least 12 characters").optional()),
    SESSIONPROOF_OIDC_ISSUER: optionalString.pipe(z.url().optional()),
    SESSIONPROOF_OIDC_CLIENT_ID: optionalString,
    SESSIONPROOF_OIDC_CLIENT_SECRET: optionalString,
    SESSIONPROOF_OIDC_NAME: z.string().default("Single sign-on"),
    SESSIONPROOF_OIDC_ROLE_CLAIM: z.string().default("sessionproof_role"),
    // "Group A=admin,SP.Analyst=analyst": claim values mapped to roles. Values equal to a role name always work.
    SESSIONPROOF_OIDC_ROLE_MAP: optionalString,
    SESSIONPROOF_OIDC_DEFAULT_ROLE: optionalString.pipe(z.enum(["admin", "analyst", "compliance", "auditor"]).optional()),
    // PKCS#8 PEM of the Ed25519 key that signs ledger checkpoints; default: data/ledger-signing-key.pem (created once).
    SESSIONPROOF_LEDGER_PRIVATE_KEY: optionalString.pipe(
      z.string().includes("PRIVATE KEY", { message: "must be a PKCS#8 PEM private key" }).optional(),
    ),
    // Every signed checkpoint is also appended to this file (one JSON line each), for the administrator to ship
    // somewhere a database user cannot reach; "off" to keep none. Default: data/ledger-checkpoints.ndjson.
    SESSIONPROOF_CHECKPOINT_LOG: optionalString,
    // Optional: each new checkpoint is POSTed (its JSON line) to this URL, a witness outside this installation.
    SESSIONPROOF_CHECKPOINT_WITNESS_URL: optionalString.pipe(z.url().optional()),
    // Optional trusted time: an RFC 3161 timestamp authority; each case export's checkpoint gets a token from it
    // (lib/export/checkpoint-timestamp.ts). Unreachable: the export goes on with a warning, or fails when REQUIRED.
    SESSIONPROOF_TSA_URL: optionalString.pipe(z.url().optional()),
    SESSIONPROOF_TSA_REQUIRED: z
      .preprocess((v) => (v === "" ? undefined : v), z.enum(["true", "false"]).default("false"))
      .transform((v) => v === "true"),
    SESSIONPROOF_TSA_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
    SESSIONPROOF_DEMO: z.enum(["on", "off"]).default("on"),
    // The Chromium that prints the case report to PDF (lib/export/report/print-pdf.ts, which reads it when it prints):
    // a path, or "off" for no PDF. Default /usr/bin/chromium (Debian's chromium package).
    SESSIONPROOF_CHROMIUM: optionalString,
    // Bounds on one ingest: the body of an upload or push (the CLI reads local files without it), and the quarantined
    // records a batch may collect before it stops (a file that is mostly unreadable is not an export of that platform).
    SESSIONPROOF_INGEST_MAX_BYTES: z.coerce
      .number()
      .int()
      .min(1)
      .default(1024 ** 3),
    SESSIONPROOF_INGEST_MAX_QUARANTINED: z.coerce.number().int().min(1).default(10_000),
    SESSIONPROOF_LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
    SESSIONPROOF_LOGIN_WINDOW_MINUTES: z.coerce.number().int().min(1).default(15),
    // The reverse proxies in front of Sessionproof: IP addresses or CIDR ranges, comma-separated
    // ("10.0.0.0/8, ::1"). X-Forwarded-For is read only from a request that arrives from one of them; without this
    // setting the client's address is the connection's own (lib/auth/request-info.ts).
    SESSIONPROOF_TRUSTED_PROXIES: optionalString.pipe(
      z
        .string()
        .superRefine((text, ctx) => {
          const { invalid } = parseAddressRanges(text);
          if (invalid.length > 0) {
            ctx.addIssue({ code: "custom", message: `not an IP address or CIDR range: ${invalid.join(", ")} (example: 10.0.0.0/8, ::1)` });
          }
        })
        .optional(),
    ),
  })
  .superRefine((env, ctx) => {
    const oidc = [env.SESSIONPROOF_OIDC_ISSUER, env.SESSIONPROOF_OIDC_CLIENT_ID, env.SESSIONPROOF_OIDC_CLIENT_SECRET];
    const set = oidc.filter(Boolean).length;
    if (set !== 0 && set !== 3) {
      ctx.addIssue({
        code: "custom",
        path: ["SESSIONPROOF_OIDC_ISSUER"],
        message:
          "single sign-on needs all three of SESSIONPROOF_OIDC_ISSUER, SESSIONPROOF_OIDC_CLIENT_ID and SESSIONPROOF_OIDC_CLIENT_SECRET",
      });
    }
    if (env.SESSIONPROOF_OWNER_DATABASE_URL && !env.DATABASE_URL) {
      ctx.addIssue({
        code: "custom",
        path: ["SESSIONPROOF_OWNER_DATABASE_URL"],
        message: "set DATABASE_URL too (the app's own role); the embedded PostgreSQL needs neither",
      });
    }
    if (Boolean(env.SESSIONPROOF_ADMIN_EMAIL) !== Boolean(env.SESSIONPROOF_ADMIN_PASSWORD)) {
      ctx.addIssue({
        code: "custom",
        path: ["SESSIONPROOF_ADMIN_PASSWORD"],
        message: "set both SESSIONPROOF_ADMIN_EMAIL and SESSIONPROOF_ADMIN_PASSWORD, or neither",
      });
    }
  });

export type Env = z.infer<typeof envSchema>;

export class EnvError extends Error {}

export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  - ${i.path.join(".") || "(environment)"}: ${i.message}`);
    throw new EnvError(`Sessionproof cannot start: the environment is invalid.\n${lines.join("\n")}`);
  }
  return result.data;
}

let cached: Env | undefined;
export function env(): Env {
  cached ??= parseEnv();
  return cached;
}

export function dataDir(e: Env = env()): string {
  return path.resolve(e.SESSIONPROOF_DATA_DIR);
}

export function oidcConfigured(e: Env = env()): boolean {
  return Boolean(e.SESSIONPROOF_OIDC_ISSUER && e.SESSIONPROOF_OIDC_CLIENT_ID && e.SESSIONPROOF_OIDC_CLIENT_SECRET);
}
