import fs from "node:fs";
import path from "node:path";
import type { NormalizedEvent } from "@/lib/events/schema";
import { normalizeRecord } from "../normalize-record";
import { probeFile, readRecords } from "../read";
import { detectPlatform, getSource } from "../registry";
import { NormalizeError } from "../types";

// The conformance corpus: per platform, records written from the vendor's own documentation by someone who did
// not write the source, and a golden file of the fields that matter for each record. This module reads a corpus
// folder through the real reader, detection and source, and compares every expected field with what came out.
// The corpus vocabulary is the vendors' meaning, not this code's: see lib/sources/<platform>/conformance/README.md.

type ConformanceField =
  | "read"
  | "detected"
  | "normalized"
  | "actor.id"
  | "actor.name"
  | "actor.kind"
  | "credential.key"
  | "credential.kind"
  | "credential.parent_key"
  | "issued_credential.key"
  | "issued_credential.kind"
  | "issued_credential.parent_key"
  | "session_key"
  | "src_ip"
  | "activity"
  | "targets"
  | "objects_changed"
  | "mfa"
  | "privileged"
  | "status"
  | "approval.kind"
  | "approval.ticket"
  | "approval.state"
  | "approval.requester"
  | "approval.approver"
  | "approval.window"
  | "approval.scope";

type Target = { type?: string | null; id?: string | null; name?: string | null };
type EventExpect = {
  actor?: { id?: string | null; name?: string | null; kind?: string | null } | null;
  credential?: { key?: string | null; kind?: string | null; parent_key?: string | null } | null;
  issued_credential?: { key?: string | null; kind?: string | null; parent_key?: string | null } | null;
  session_key?: string | null;
  src_ip?: string | null;
  activity?: string;
  targets?: Target[];
  /** Exactly the resources the event changed (its targets: no container or related object), in any order. */
  objects_changed?: Target[];
  mfa?: boolean | null;
  privileged?: boolean;
  status?: string;
};
type ApprovalExpect = {
  kind: "approval" | "not_approval";
  ticket?: string | null;
  state?: string | null;
  requester?: string | null;
  approver?: string | null;
  planned_start?: string | null;
  planned_end?: string | null;
  scope?: string[];
};
type GoldenEntry = { ref: string; source?: string; expect: EventExpect | ApprovalExpect };
type GoldenFile = GoldenEntry[] | { file: string; records: GoldenEntry[] }[];

export type FieldResult = {
  platform: string;
  file: string;
  ref: string;
  field: ConformanceField;
  ok: boolean;
  expected: unknown;
  actual: unknown;
};

/**
 * The corpus vocabulary of verbs (closed) and the event activities each one accepts. An activity the sources
 * write maps to the verbs it can stand for; the comparison passes when the expected verb is among them.
 */
const ACTIVITY_VERBS: Record<string, readonly string[]> = {
  logon: ["login"],
  session_start: ["login"],
  logoff: ["logout"],
  mfa_enable: ["mfa", "update", "config_change"],
  mfa_disable: ["mfa", "update", "config_change"],
  authorize: ["authorize"],
  consent: ["grant", "authorize"],
  token_grant: ["grant", "token_issue", "authorize"],
  issue_credentials: ["token_issue", "create"],
  revoke_credentials: ["token_revoke", "revoke", "delete"],
  create: ["create"],
  read: ["read", "query"],
  update: ["update", "config_change", "policy_change"],
  delete: ["delete"],
  assign_privileges: ["grant", "assign"],
  revoke_privileges: ["revoke", "unassign"],
  request_privileges: ["other"],
  add_user: ["create", "assign"],
  remove_user: ["delete", "unassign"],
  export: ["export"],
  download: ["download", "export"],
  upload: ["upload"],
  share: ["share"],
  impersonate: ["impersonate"],
  password_reset: ["update"],
  password_change: ["update"],
  policy_evaluation: ["other"],
  query: ["query", "read"],
};

function activityMatches(activity: string, verb: string): boolean {
  return (ACTIVITY_VERBS[activity] ?? [activity]).includes(verb);
}

const eqText = (a: unknown, b: unknown) =>
  a === b || (typeof a === "string" && typeof b === "string" && a.toLowerCase() === b.toLowerCase());

function sameInstant(expected: string | null | undefined, actual: string | null): boolean {
  if (expected == null || actual == null) return expected == null && actual == null;
  return Date.parse(expected) === Date.parse(actual);
}

function targetFound(t: Target, e: NormalizedEvent): boolean {
  return e.resources.some((r) =>
    t.id != null ? eqText(r.id, t.id) || eqText(r.name, t.id) : eqText(r.name, t.name) || eqText(r.id, t.name),
  );
}

function compareEvent(x: EventExpect, e: NormalizedEvent): [ConformanceField, boolean, unknown, unknown][] {
  const out: [ConformanceField, boolean, unknown, unknown][] = [];
  const check = (field: ConformanceField, expected: unknown, actual: unknown, ok = eqText(expected ?? null, actual ?? null)) =>
    out.push([field, ok, expected, actual]);
  if (x.actor !== undefined) {
    const a = x.actor;
    if (a === null) check("actor.id", null, e.actor.external_id);
    else {
      if (a.id !== undefined)
        check("actor.id", a.id, e.actor.external_id, eqText(a.id, e.actor.external_id) || (a.id !== null && eqText(a.id, e.actor.login)));
      if (a.name !== undefined) {
        const names = [e.actor.name, e.actor.login, e.actor.email];
        check(
          "actor.name",
          a.name,
          e.actor.name ?? e.actor.login,
          a.name === null ? names.every((n) => n === null) : names.some((n) => eqText(n, a.name)),
        );
      }
      if (a.kind !== undefined) check("actor.kind", a.kind, e.actor.kind_hint);
    }
  }
  if (x.credential !== undefined) {
    const c = x.credential;
    if (c === null) check("credential.key", null, e.credential?.key ?? null);
    else {
      if (c.key !== undefined) check("credential.key", c.key, e.credential?.key ?? null);
      if (c.kind !== undefined) check("credential.kind", c.kind, e.credential?.kind ?? null);
      if (c.parent_key !== undefined) check("credential.parent_key", c.parent_key, e.credential?.parent_key ?? null);
    }
  }
  if (x.issued_credential !== undefined) {
    const c = x.issued_credential;
    const got = e.issued_credentials[0] ?? null;
    if (c === null) check("issued_credential.key", null, got?.key ?? null);
    else {
      if (c.key !== undefined) check("issued_credential.key", c.key, got?.key ?? null);
      if (c.kind !== undefined) check("issued_credential.kind", c.kind, got?.kind ?? null);
      if (c.parent_key !== undefined) check("issued_credential.parent_key", c.parent_key, got?.parent_key ?? null);
    }
  }
  if (x.session_key !== undefined) check("session_key", x.session_key, e.session?.key ?? null);
  if (x.src_ip !== undefined) check("src_ip", x.src_ip, e.src_endpoint.ip);
  if (x.activity !== undefined) check("activity", x.activity, e.activity, activityMatches(e.activity, x.activity));
  if (x.targets !== undefined && x.targets.length > 0)
    check(
      "targets",
      x.targets,
      e.resources,
      x.targets.every((t) => targetFound(t, e)),
    );
  if (x.objects_changed !== undefined) {
    const changed = e.resources.filter((r) => r.role === undefined);
    check(
      "objects_changed",
      x.objects_changed,
      changed,
      changed.length === x.objects_changed.length && x.objects_changed.every((t) => targetFound(t, { ...e, resources: changed })),
    );
  }
  if (x.mfa !== undefined) check("mfa", x.mfa, e.auth?.mfa ?? null, (x.mfa ?? null) === (e.auth?.mfa ?? null));
  if (x.privileged !== undefined) check("privileged", x.privileged, e.privileged, x.privileged === e.privileged);
  if (x.status !== undefined) check("status", x.status, e.status);
  return out;
}

const APPROVED_STATES = new Set(["approved"]);
const REFUSED_STATES = new Set(["rejected", "cancelled", "canceled", "withdrawn", "closed_incomplete", "closed incomplete"]);

function compareApproval(x: ApprovalExpect, e: NormalizedEvent | null): [ConformanceField, boolean, unknown, unknown][] {
  const a = e?.approval ?? null;
  const out: [ConformanceField, boolean, unknown, unknown][] = [
    ["approval.kind", (a !== null) === (x.kind === "approval"), x.kind, a ? "approval" : "not_approval"],
  ];
  if (x.kind !== "approval" || !a) return out;
  if (x.ticket !== undefined) out.push(["approval.ticket", eqText(x.ticket, a.ticket_key), x.ticket, a.ticket_key]);
  if (x.state != null) {
    const s = x.state.toLowerCase();
    const want = APPROVED_STATES.has(s) ? true : REFUSED_STATES.has(s) ? false : null;
    out.push(["approval.state", want === a.approved, x.state, a.approved]);
  }
  if (x.requester !== undefined) out.push(["approval.requester", eqText(x.requester ?? null, a.requester), x.requester, a.requester]);
  if (x.approver !== undefined) out.push(["approval.approver", eqText(x.approver ?? null, a.approver), x.approver, a.approver]);
  if (x.planned_start !== undefined || x.planned_end !== undefined)
    out.push([
      "approval.window",
      sameInstant(x.planned_start, a.window_start) && sameInstant(x.planned_end, a.window_end),
      [x.planned_start ?? null, x.planned_end ?? null],
      [a.window_start, a.window_end],
    ]);
  if (x.scope && x.scope.length > 0)
    out.push(["approval.scope", x.scope.every((s) => a.linked_items.some((i) => eqText(i, s))), x.scope, a.linked_items]);
  return out;
}

/** The conformance folders present: lib/sources/<platform>/conformance with a golden.json. */
export function conformanceDirs(root = path.resolve(process.cwd(), "lib", "sources")): { platform: string; dir: string }[] {
  return fs
    .readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(root, d.name, "conformance", "golden.json")))
    .map((d) => ({ platform: d.name, dir: path.join(root, d.name, "conformance") }))
    .sort((a, b) => a.platform.localeCompare(b.platform));
}

function goldenByFile(dir: string): { file: string; records: GoldenEntry[] }[] {
  const golden = JSON.parse(fs.readFileSync(path.join(dir, "golden.json"), "utf8")) as GoldenFile;
  if (golden.length > 0 && "file" in golden[0]) return golden as { file: string; records: GoldenEntry[] }[];
  const records = fs.readdirSync(dir).filter((f) => /^records\./.test(f));
  if (records.length !== 1)
    throw new Error(
      `${dir}: golden.json is a plain list, so exactly one records.* file is expected (found ${records.join(", ") || "none"})`,
    );
  return [{ file: records[0], records: golden as GoldenEntry[] }];
}

/**
 * Every record of a platform's corpus through detection, the reader and the platform's source; one result per
 * expected field. A record that is refused fails every field it has; a file detected as another platform fails
 * "detected" for each of its records and is still normalized by the folder's platform, to show the rest.
 */
export async function runConformance(platform: string, dir: string): Promise<FieldResult[]> {
  const results: FieldResult[] = [];
  const source = getSource(platform);
  if (!source) throw new Error(`no source registered for the conformance folder ${platform}`);
  for (const { file, records: golden } of goldenByFile(dir)) {
    const full = path.join(dir, file);
    const head = fs.readFileSync(full).subarray(0, 256 * 1024);
    const detected = detectPlatform(probeFile(head, file))?.platform ?? null;
    const items = [];
    for await (const it of readRecords(fs.createReadStream(full), { fileName: file, parse: true })) items.push(it);
    // A shape the reader does not split into the vendor's records fails every record of the file as unread.
    if (items.length !== golden.length) {
      for (const g of golden)
        results.push({
          platform,
          file,
          ref: g.ref,
          field: "read",
          ok: false,
          expected: `${golden.length} records`,
          actual: `${items.length} read`,
        });
      continue;
    }
    items.forEach((it, i) => {
      const g = golden[i];
      const push = (field: ConformanceField, ok: boolean, expected: unknown, actual: unknown) =>
        results.push({ platform, file, ref: g.ref, field, ok, expected, actual });
      push("read", true, true, true);
      push("detected", detected === platform, platform, detected);
      let events: NormalizedEvent[] = [];
      let refusal: string | null = null;
      if ("error" in it) refusal = `unreadable: ${it.error}`;
      else {
        try {
          events = normalizeRecord(source, it.value, { fileName: file, position: it.position });
        } catch (err) {
          if (!(err instanceof NormalizeError)) throw err;
          refusal = err.reason;
        }
      }
      const event = events.find((e) => e.native_id === g.ref) ?? events[0] ?? null;
      if ("kind" in g.expect) {
        const x = g.expect as ApprovalExpect;
        // A record that is not an approval may be refused or produce events without one: both are right.
        for (const [field, ok, expected, actual] of compareApproval(x, event)) push(field, ok, expected, actual);
        return;
      }
      push("normalized", event !== null, true, refusal ?? (event ? true : "no event"));
      if (!event) return;
      for (const [field, ok, expected, actual] of compareEvent(g.expect as EventExpect, event)) push(field, ok, expected, actual);
    });
  }
  return results;
}

/** One line per platform: checked fields, right, accuracy, and the fields that failed most. */
export function accuracyReport(results: FieldResult[]): string {
  const byPlatform = new Map<string, FieldResult[]>();
  for (const r of results) byPlatform.set(r.platform, [...(byPlatform.get(r.platform) ?? []), r]);
  const lines = ["platform            fields  right  accuracy  most failed"];
  let all = 0;
  let right = 0;
  for (const [platform, rs] of byPlatform) {
    const ok = rs.filter((r) => r.ok).length;
    all += rs.length;
    right += ok;
    const failed = new Map<string, number>();
    for (const r of rs) if (!r.ok) failed.set(r.field, (failed.get(r.field) ?? 0) + 1);
    const worst = [...failed]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 4)
      .map(([f, n]) => `${f} ${n}`)
      .join(", ");
    lines.push(
      `${platform.padEnd(18)} ${String(rs.length).padStart(7)} ${String(ok).padStart(6)}  ${((100 * ok) / rs.length).toFixed(1).padStart(7)}%  ${worst}`,
    );
  }
  lines.push(
    `${"all".padEnd(18)} ${String(all).padStart(7)} ${String(right).padStart(6)}  ${((100 * right) / Math.max(1, all)).toFixed(1).padStart(7)}%`,
  );
  return lines.join("\n");
}

/** A failing field's stable name for the known-gaps list: platform/file#ref field. */
export const gapKey = (r: FieldResult) => `${r.platform}/${r.file}#${r.ref} ${r.field}`;
