import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { system } from "@/lib/context/request-context";
import { runCorrelation } from "@/lib/correlation/run-correlation";
import { db } from "@/lib/db";
import { ingestStream } from "@/lib/ingest/ingest-stream";
import { getSession } from "@/lib/sessions/get-session";
import floors from "./accuracy-docs-floors.json";

// The correlation engine against a second scenario set, written from the vendors' documentation by someone who
// had not read the engine (lib/correlation/scenarios-docs/, README there): keyless events of keyed sessions,
// non-interactive sign-ins, API sessions, token reuse from a new network, workloads, OIDC federation and the
// human behind an NHI, each scenario in the vendor's export format with its ground truth (truth.json). Every
// file goes through the real ingest and a full correlation run; the figures are printed and held to a ratchet
// (accuracy-docs-floors.json: today's measured values; they only go up). The issue's targets are printed beside
// them and are the goal: session F1 >= 0.97 with precision >= 0.99, link and lineage F1 >= 0.95, kind accuracy
// >= 0.98, objects-changed F1 >= 0.9.

const DIR = path.join(process.cwd(), "lib", "correlation", "scenarios-docs");

type Truth = {
  title: string;
  docs: string[];
  identities: { id: string; kind: string; name: string }[];
  credentials: { id: string; platform: string; externalId: string; parent: string | null }[];
  sessions: {
    id: string;
    platform: string;
    identity: string;
    initiator: string | null;
    objectsChanged: string[][];
    events: [file: string, index: number][];
  }[];
  links: { from: string; to: string; kind: string; rule: string }[];
};

const TARGETS = { sessionPrecision: 0.99, sessionF1: 0.97, linkF1: 0.95, lineageF1: 0.95, kindAccuracy: 0.98, objectsF1: 0.9 };
type Metric = keyof typeof TARGETS | "initiatorAccuracy";

const pairs = (n: number) => (n * (n - 1)) / 2;
const ratio = (a: number, b: number) => (b === 0 ? (a === 0 ? 1 : 0) : a / b);
const f1 = (p: number, r: number) => (p + r === 0 ? 0 : (2 * p * r) / (p + r));
/** Precision, recall and F1 of a predicted set against a true set. */
function score(truth: Set<string>, predicted: Set<string>) {
  const tp = [...predicted].filter((x) => truth.has(x)).length;
  const p = ratio(tp, predicted.size);
  const r = ratio(tp, truth.size);
  return {
    tp,
    p,
    r,
    f1: f1(p, r),
    missed: [...truth].filter((x) => !predicted.has(x)),
    extra: [...predicted].filter((x) => !truth.has(x)),
  };
}
/** The most frequent value (ties: the first seen). */
function majority<T>(values: T[]): T | undefined {
  const n = new Map<T, number>();
  for (const v of values) n.set(v, (n.get(v) ?? 0) + 1);
  return [...n].sort((a, b) => b[1] - a[1])[0]?.[0];
}

function loadScenarios(): { name: string; truth: Truth; files: string[] }[] {
  return fs
    .readdirSync(DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .map((name) => ({
      name,
      truth: JSON.parse(fs.readFileSync(path.join(DIR, name, "truth.json"), "utf8")) as Truth,
      files: fs.readdirSync(path.join(DIR, name)).filter((f) => f !== "truth.json" && f !== "README.md"),
    }));
}

describe("correlation accuracy on the documentation-written scenario set", () => {
  it("ingests every scenario, prints the per-metric figures and holds them to the ratchet floors", async () => {
    const scenarios = loadScenarios();
    expect(scenarios.length).toBeGreaterThanOrEqual(8);
    for (const s of scenarios) {
      for (const f of s.files) {
        const r = await ingestStream({
          input: Readable.from([fs.readFileSync(path.join(DIR, s.name, f))]),
          fileName: `${s.name}/${f}`,
          via: "cli",
          ctx: system(),
        });
        expect(r.quarantined, `${s.name}/${f} quarantined records`).toBe(0);
      }
    }
    await runCorrelation({ ctx: system() });

    // Every record's first event (a record normalized into several events counts once, by its first).
    const rows = await db().$queryRawUnsafe<{ file: string; position: bigint; sessionId: string | null; identityId: string | null }[]>(
      `SELECT DISTINCT ON (r.id) r."fileName" AS file, r.position, e."sessionId", e."identityId"
         FROM raw_record r JOIN event e ON e."rawRecordId" = r.id ORDER BY r.id, e.id`,
    );
    const pred = new Map(rows.map((x) => [`${x.file}#${x.position}`, x]));
    const identityKind = new Map((await db().identity.findMany({ select: { id: true, kind: true } })).map((i) => [i.id, i.kind as string]));
    const sessionRows = new Map((await db().session.findMany({ select: { id: true, initiatorIdentityId: true } })).map((s) => [s.id, s]));

    // Truth, namespaced by scenario (ids are only unique inside one).
    type TSession = Truth["sessions"][number] & { scenario: string };
    const tSessions = new Map<string, TSession>();
    const tKind = new Map<string, string>();
    const events: { ref: string; session: string; identity: string; platform: string }[] = [];
    const tLinks = new Set<string>();
    const tLinkRule = new Map<string, string>();
    const tLineage = new Set<string>();
    for (const { name, truth } of scenarios) {
      for (const i of truth.identities) tKind.set(`${name}:${i.id}`, i.kind);
      for (const s of truth.sessions) {
        const id = `${name}:${s.id}`;
        tSessions.set(id, {
          ...s,
          id,
          identity: `${name}:${s.identity}`,
          initiator: s.initiator && `${name}:${s.initiator}`,
          scenario: name,
        });
        for (const [file, index] of s.events)
          events.push({ ref: `${name}/${file}#${index}`, session: id, identity: `${name}:${s.identity}`, platform: s.platform });
      }
      const credById = new Map(truth.credentials.map((c) => [c.id, c]));
      for (const c of truth.credentials) if (c.parent) tLineage.add(`${c.externalId}<${credById.get(c.parent)!.externalId}`);
      for (const l of truth.links) {
        tLinks.add(`${name}:${l.from}>${name}:${l.to}`);
        tLinkRule.set(`${name}:${l.from}>${name}:${l.to}`, `${l.kind}/${l.rule}`);
      }
    }
    for (const e of events) expect(pred.get(e.ref), `${e.ref} has an event`).toBeDefined();
    const psOf = (ref: string) => pred.get(ref)?.sessionId ?? `none:${ref}`;

    // Sessions: pairwise co-membership, overall and per platform.
    const sessionScore = (subset: typeof events) => {
      const cells = new Map<string, number>();
      const tN = new Map<string, number>();
      const pN = new Map<string, number>();
      for (const e of subset) {
        const ps = psOf(e.ref);
        cells.set(`${e.session}|${ps}`, (cells.get(`${e.session}|${ps}`) ?? 0) + 1);
        tN.set(e.session, (tN.get(e.session) ?? 0) + 1);
        pN.set(ps, (pN.get(ps) ?? 0) + 1);
      }
      const tp = [...cells.values()].reduce((a, n) => a + pairs(n), 0);
      const p = ratio(
        tp,
        [...pN.values()].reduce((a, n) => a + pairs(n), 0),
      );
      const r = ratio(
        tp,
        [...tN.values()].reduce((a, n) => a + pairs(n), 0),
      );
      return { events: subset.length, truth: tN.size, predicted: pN.size, p, r, f1: f1(p, r) };
    };
    const overall = sessionScore(events);
    const lines: string[] = [];
    const f = (x: number) => x.toFixed(3);
    lines.push(`platform        | events | truth/predicted sessions | pairwise P / R / F1`);
    for (const platform of [...new Set(events.map((e) => e.platform))].sort()) {
      const s = sessionScore(events.filter((e) => e.platform === platform));
      lines.push(
        `${platform.padEnd(15)} | ${String(s.events).padStart(6)} | ${`${s.truth}/${s.predicted}`.padStart(24)} | ${f(s.p)} / ${f(s.r)} / ${f(s.f1)}`,
      );
    }
    lines.push(
      `${"all".padEnd(15)} | ${String(overall.events).padStart(6)} | ${`${overall.truth}/${overall.predicted}`.padStart(24)} | ${f(overall.p)} / ${f(overall.r)} / ${f(overall.f1)}`,
    );

    // Each truth session's predicted session (the one holding most of its events), and back.
    const toPred = new Map([...tSessions.keys()].map((t) => [t, majority(events.filter((e) => e.session === t).map((e) => psOf(e.ref)))!]));
    const predToTruth = new Map<string, string>();
    for (const p of new Set(events.map((e) => psOf(e.ref))))
      predToTruth.set(p, majority(events.filter((e) => psOf(e.ref) === p).map((e) => e.session))!);

    // Links between sessions (any kind but the governance joins), by their predicted endpoints.
    const predLinkRows = (await db().sessionLink.findMany()).filter((l) => l.kind !== "approval" && l.kind !== "jit_grant");
    const truthLinkPred = new Map([...tLinks].map((l) => [`${toPred.get(l.split(">")[0])}>${toPred.get(l.split(">")[1])}`, l]));
    const links = score(new Set(truthLinkPred.keys()), new Set(predLinkRows.map((l) => `${l.fromSessionId}>${l.toSessionId}`)));
    const ruleOf = new Map(predLinkRows.map((l) => [`${l.fromSessionId}>${l.toSessionId}`, `${l.kind}/${l.rule}`]));
    const linkNote = (k: string) => `${truthLinkPred.get(k) ?? `${predToTruth.get(k.split(">")[0])}>${predToTruth.get(k.split(">")[1])}`}`;
    lines.push(
      `links: ${truthLinkPred.size} true, ${links.tp + links.extra.length} predicted, P ${f(links.p)} R ${f(links.r)} F1 ${f(links.f1)}; ` +
        `found: ${
          [...truthLinkPred.keys()]
            .filter((k) => ruleOf.has(k))
            .map((k) => `${linkNote(k)} as ${ruleOf.get(k)} (want ${tLinkRule.get(truthLinkPred.get(k)!)})`)
            .join(", ") || "none"
        }; ` +
        `missed: ${links.missed.map((k) => `${linkNote(k)} (${tLinkRule.get(truthLinkPred.get(k)!)})`).join(", ") || "none"}; ` +
        `extra: ${links.extra.map((k) => `${linkNote(k)} (${ruleOf.get(k)})`).join(", ") || "none"}`,
    );

    // Credential lineage: parent edges by the credentials' external ids.
    const creds = await db().credential.findMany({ select: { id: true, externalId: true, parentId: true } });
    const credExt = new Map(creds.map((c) => [c.id, c.externalId]));
    const lineage = score(tLineage, new Set(creds.filter((c) => c.parentId).map((c) => `${c.externalId}<${credExt.get(c.parentId!)}`)));
    lines.push(
      `lineage: ${tLineage.size} true edges, ${lineage.tp + lineage.extra.length} predicted, P ${f(lineage.p)} R ${f(lineage.r)} F1 ${f(lineage.f1)}; ` +
        `missed: ${lineage.missed.join(", ") || "none"}; extra: ${lineage.extra.join(", ") || "none"}`,
    );

    // Identity kinds, per event (an event left without an identity counts as wrong).
    const kindMiss = new Map<string, number>();
    let kindRight = 0;
    for (const e of events) {
      const got = identityKind.get(pred.get(e.ref)?.identityId ?? "") ?? "none";
      if (got === tKind.get(e.identity)) kindRight++;
      else
        kindMiss.set(
          `${e.identity} ${tKind.get(e.identity)}→${got}`,
          (kindMiss.get(`${e.identity} ${tKind.get(e.identity)}→${got}`) ?? 0) + 1,
        );
    }
    const kindAccuracy = kindRight / events.length;
    lines.push(
      `identity kind accuracy (per event): ${f(kindAccuracy)} over ${events.length} events; wrong: ${[...kindMiss].map(([k, n]) => `${k} ×${n}`).join(", ") || "none"}`,
    );

    // Initiators: the truth session's predicted session names the identity that holds the initiator's events.
    const identityToPred = new Map(
      [...new Set(events.map((e) => e.identity))].map((i) => [
        i,
        majority(events.filter((e) => e.identity === i).map((e) => pred.get(e.ref)?.identityId ?? null)),
      ]),
    );
    const withInitiator = [...tSessions.values()].filter((s) => s.initiator);
    const initiatorRight = withInitiator.filter((s) => {
      const got = sessionRows.get(toPred.get(s.id)!)?.initiatorIdentityId;
      return got != null && got === identityToPred.get(s.initiator!);
    }).length;
    const initiatorAccuracy = ratio(initiatorRight, withInitiator.length);
    lines.push(`initiators: ${initiatorRight}/${withInitiator.length} truth sessions with an initiator have it`);

    // Objects changed: each predicted session's changed objects (the session page's list), credited to the truth
    // session holding most of its events; an object matches a truth object by id or name against its aliases.
    const tObjects = new Set<string>();
    const aliases = new Map<string, string>();
    for (const s of tSessions.values())
      s.objectsChanged.forEach((names, i) => {
        tObjects.add(`${s.id}#${i}`);
        for (const n of names) aliases.set(`${s.id}|${n.toLowerCase()}`, `${s.id}#${i}`);
      });
    const pObjects = new Set<string>();
    for (const [p, t] of predToTruth) {
      if (p.startsWith("none:")) continue;
      const detail = await getSession({ id: p, eventsLimit: 1 });
      for (const o of detail?.objectsChanged ?? [])
        pObjects.add(
          aliases.get(`${t}|${o.id.toLowerCase()}`) ?? aliases.get(`${t}|${(o.name ?? "").toLowerCase()}`) ?? `${t}|${o.type} ${o.id}`,
        );
    }
    const objects = score(tObjects, pObjects);
    const objName = (k: string) => {
      const [s, i] = k.split("#");
      return tSessions.get(s) ? `${s}:${tSessions.get(s)!.objectsChanged[Number(i)]?.[0]}` : k;
    };
    lines.push(
      `objects changed: ${tObjects.size} true, ${pObjects.size} predicted, P ${f(objects.p)} R ${f(objects.r)} F1 ${f(objects.f1)}; ` +
        `missed: ${objects.missed.map(objName).join(", ") || "none"}; extra: ${objects.extra.join(", ") || "none"}`,
    );

    const measured: Record<Metric, number> = {
      sessionPrecision: overall.p,
      sessionF1: overall.f1,
      linkF1: links.f1,
      lineageF1: lineage.f1,
      kindAccuracy,
      objectsF1: objects.f1,
      initiatorAccuracy,
    };
    lines.push(
      `metric            | measured | floor | target`,
      ...(Object.keys(measured) as Metric[]).map(
        (m) =>
          `${m.padEnd(17)} | ${f(measured[m]).padStart(8)} | ${f(floors[m]).padStart(5)} | ${m in TARGETS ? `${f(TARGETS[m as keyof typeof TARGETS])}${measured[m] >= TARGETS[m as keyof typeof TARGETS] ? " met" : " not met"}` : "-"}`,
      ),
    );
    console.log(`documentation scenario set (${scenarios.length} scenarios, ${events.length} events)\n${lines.join("\n")}`);
    // The ratchet: no figure may fall below today's floor (a rounding margin of 0.0005 for the printed precision).
    for (const m of Object.keys(measured) as Metric[])
      expect(measured[m], `${m} fell below its floor`).toBeGreaterThanOrEqual(floors[m] - 0.0005);
  }, 120_000);
});
