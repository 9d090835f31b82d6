import fs from "node:fs";
import path from "node:path";
import { NextRequest } from "next/server";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { seedUser } from "@/test/factories";

// Every API route handler, called as the administrator with input built to break it: malformed ids in the path,
// NUL in the path, the query string and the JSON body, ids of the wrong shape in the query. Whatever the route,
// the answer is a 4xx with a message, never a 500.

const admin = vi.hoisted(() => ({ user: null as null | Record<string, unknown> }));
vi.mock("@/lib/auth/guard", async (importOriginal) => ({
  ...(await importOriginal<Record<string, unknown>>()),
  authorizeApi: async () => admin.user,
}));

const ROOT = path.resolve("app/api/v1");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

type Route = { file: string; pattern: string; segments: string[] };

function routes(): Route[] {
  const out: Route[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name === "route.ts") {
        const rel = path.relative(ROOT, dir);
        out.push({ file: p, pattern: `/api/v1/${rel}`, segments: [...rel.matchAll(/\[(\w+)\]/g)].map((m) => m[1]) });
      }
    }
  };
  walk(ROOT);
  return out.sort((a, b) => a.pattern.localeCompare(b.pattern));
}

// Query parameters the routes read, each set to the hostile value.
const QUERY_KEYS = [
  "q",
  "id",
  "batchId",
  "sourceId",
  "identity",
  "session",
  "root",
  "rootType",
  "caseId",
  "actor",
  "action",
  "resourceType",
  "platform",
  "framework",
  "from",
  "to",
  "since",
  "until",
  "limit",
  "offset",
  "sort",
  "dir",
  "status",
  "severity",
  "rule",
  "type",
  "kind",
  "format",
  "eventsOffset",
  "eventsLimit",
  "evidenceOffset",
  "evidenceLimit",
  "depth",
  "hide",
  "category",
  "control",
  "old",
  "mode",
  "includeResolved",
];
// Body fields the routes read.
const BODY_KEYS = [
  "title",
  "description",
  "severity",
  "status",
  "tags",
  "body",
  "reason",
  "name",
  "email",
  "role",
  "password",
  "refId",
  "itemType",
  "annotation",
  "done",
  "assigneeId",
  "dueAt",
  "batchId",
  "sourceId",
  "caseId",
  "from",
  "to",
  "days",
  "source",
  "platform",
  "mode",
  "retentionDays",
  "requiredDays",
  "disabled",
  "snapshot",
];

const HOSTILE = [
  "nul\u0000here",
  "x",
  "-1",
  "1e999",
  "99999999999999999999999",
  "../../etc",
  "%E0%A4%A",
  "00000000-0000-0000-0000-00000000000\u0000",
];

type Input = { query: Record<string, string>; body: Record<string, string>; fileName: string };

/** All at once (malformed values), and NUL one field at a time (so that nothing else is wrong with the request). */
function inputs(value: string): Input[] {
  const all = (keys: string[]) => Object.fromEntries(keys.map((k) => [k, value]));
  const list: Input[] = [{ query: all(QUERY_KEYS), body: all(BODY_KEYS), fileName: value }];
  if (value.includes("\u0000")) {
    for (const k of QUERY_KEYS) list.push({ query: { [k]: value }, body: {}, fileName: "f.json" });
    for (const k of BODY_KEYS) list.push({ query: {}, body: { [k]: value }, fileName: "f.json" });
  }
  return list;
}

async function call(r: Route, method: string, value: string, input: Input): Promise<Response> {
  const mod = (await import(r.file)) as Record<string, (req: NextRequest, ctx: { params: Promise<unknown> }) => Promise<Response>>;
  const params = Object.fromEntries(r.segments.map((s) => [s, value]));
  const url = new URL(`http://localhost${r.pattern.replace(/\[(\w+)\]/g, (_m, s: string) => encodeURIComponent(params[s]))}`);
  for (const [k, v] of Object.entries(input.query)) url.searchParams.set(k, v);
  const req = new NextRequest(url, {
    method,
    body: method === "GET" ? undefined : JSON.stringify(input.body),
    headers: {
      "content-type": "application/json",
      origin: "http://localhost",
      "sec-fetch-site": "same-origin",
      // As sent: percent-encoded, or a broken encoding left as it is.
      "x-file-name": input.fileName.startsWith("%") ? input.fileName : encodeURIComponent(input.fileName),
      authorization: "Bearer sp_nothing",
    },
  });
  return mod[method](req, { params: Promise.resolve(params) });
}

describe("hostile input to every API route", () => {
  beforeAll(async () => {
    const u = await seedUser("admin");
    admin.user = { id: u.id, email: u.email, name: null, role: "admin", ip: "127.0.0.1", userAgent: "vitest" };
  });

  for (const r of routes()) {
    it(`${r.pattern}: a 4xx with a message, never a 500`, async () => {
      const mod = (await import(r.file)) as Record<string, unknown>;
      const failures: string[] = [];
      for (const method of METHODS.filter((m) => typeof mod[m] === "function")) {
        for (const value of HOSTILE) {
          for (const input of inputs(value)) {
            const res = await call(r, method, value, input);
            const text = await res.text();
            const what = `${method} ${JSON.stringify(value)} ${JSON.stringify({ ...input.query, ...input.body }).slice(0, 80)}`;
            if (res.status >= 500) failures.push(`${what}: ${res.status}`);
            else if (res.status >= 400) {
              const body = JSON.parse(text) as { error?: { message?: string } };
              if (!body.error?.message) failures.push(`${what}: ${res.status} without a message`);
            }
          }
        }
      }
      expect(failures).toEqual([]);
    }, 180_000); // POST /api/v1/correlation runs the whole analysis for each request that gets through
  }
});
