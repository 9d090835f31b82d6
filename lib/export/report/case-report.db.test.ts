import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { extractText, getDocumentProxy } from "unpdf";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { addCaseItem } from "@/lib/cases/add-case-item";
import { addNote } from "@/lib/cases/add-note";
import { addTask } from "@/lib/cases/add-task";
import { createCase } from "@/lib/cases/create-case";
import { addItemInput, createCaseInput, noteInput, taskInput, updateCaseInput } from "@/lib/cases/types";
import { updateCase } from "@/lib/cases/update-case";
import { fromSessionUser, system, type RequestContext } from "@/lib/context/request-context";
import { pool } from "@/lib/db";
import { runGovernanceChecks } from "@/lib/governance/run-governance-checks";
import { STATUS_LABEL as CHECK_STATUS_LABEL, type CheckStatus } from "@/lib/governance/types";
import { loadSigningKey } from "@/lib/ledger/signing-key";
import { dismissFinding } from "@/lib/risk/dismiss-finding";
import { runRiskRules } from "@/lib/risk/run-risk-rules";
import { getSession } from "@/lib/sessions/get-session";
import { CROSS_PLATFORM_FIXTURES, expectAppError, ingestFixture, seedCorrelated, seedUser } from "@/test/factories";
import { exportCase } from "../export-case";
import { extractPackage } from "../extract-package";
import { getCaseReport } from "./get-case-report";
import { DEFAULT_CHROMIUM } from "./print-pdf";

// The case report as an auditor gets it: a case with a hostile title (a <script> element and a CR), a note, a task,
// a dismissed finding and a session with a governance check, reviewed by a second user; exported, unzipped, and its
// report.html and report.pdf read back. The PDF's text is read with unpdf (PDF.js), independently of how it was made.

const HOSTILE_TITLE = "Exfil <script>alert(1)</script>\rInjected & \u200Bmore";
// What the title reads as once escaped (the CR a space, the zero-width space written out).
const TITLE_TEXT = "Exfil <script>alert(1)</script> Injected & ⟨ZWSP⟩more";
const TITLE_HTML = "Exfil &lt;script&gt;alert(1)&lt;/script&gt; Injected &amp; ⟨ZWSP⟩more";
const NOTE = 'Line one\r\nSee <img src=x onerror="alert(2)">';
const DISMISS_REASON = "Known maintenance window, ticket CHG-42";

const hasChromium = fs.existsSync(DEFAULT_CHROMIUM);
const NO_CHROMIUM = `${DEFAULT_CHROMIUM} is absent on this machine (CI installs Debian's chromium): the PDF is not checked here`;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "sessionproof-report-test-"));
const squash = (s: string) => s.replace(/\s+/g, " ").trim();

let caseId: string;
let caseNumber: number;
let analyst: RequestContext;
let auditor: RequestContext;
let sessionIds: string[];
let findingId: string;
let checkStatus: CheckStatus;
let pkg: string;

async function exportTo(name: string): Promise<string> {
  const zipPath = path.join(tmp, `${name}.zip`);
  const out = fs.createWriteStream(zipPath);
  const closed = new Promise<void>((r) => out.on("close", () => r()));
  await exportCase({ ctx: auditor, caseId, output: out });
  await closed;
  return extractPackage({ zipPath, dir: path.join(tmp, name) });
}

beforeAll(async () => {
  await ingestFixture("servicenow", "change_request.json");
  await ingestFixture("pam-grants", "sessionproof-grants-2025-03-04.json");
  await seedCorrelated(CROSS_PLATFORM_FIXTURES);
  await runGovernanceChecks({ ctx: system() });
  await runRiskRules({ ctx: system() });
  const a = await seedUser("analyst", "ana@report.test", "Ana Analyst");
  const r = await seedUser("admin", "rev@report.test", "Rev Reviewer");
  const u = await seedUser("auditor", "aud@report.test");
  analyst = fromSessionUser({ id: a.id, email: a.email, role: a.role });
  const reviewer = fromSessionUser({ id: r.id, email: r.email, role: r.role });
  auditor = fromSessionUser({ id: u.id, email: u.email, role: u.role });

  // A session with a governance check, and a finding (on another session when there is one), dismissed with a reason.
  const checked = await pool().query<{ sessionId: string; status: CheckStatus }>(
    `SELECT "sessionId", status FROM governance_check WHERE "sessionId" IS NOT NULL ORDER BY time, id LIMIT 1`,
  );
  expect(checked.rows, "the fixtures give a privileged action in a session").toHaveLength(1);
  checkStatus = checked.rows[0].status;
  const finding = await pool().query<{ id: string; sessionId: string | null }>(
    `SELECT id, "sessionId" FROM finding ORDER BY "createdAt", id LIMIT 1`,
  );
  findingId = finding.rows[0].id;
  await dismissFinding({ ctx: analyst, id: findingId, input: { type: "false_positive", reason: DISMISS_REASON } });

  const c = await createCase({ ctx: analyst, input: createCaseInput.parse({ title: HOSTILE_TITLE, severity: "high" }) });
  caseId = c.id;
  caseNumber = c.number;
  await addCaseItem({ ctx: analyst, caseId, input: addItemInput.parse({ itemType: "session", refId: checked.rows[0].sessionId }) });
  await addCaseItem({ ctx: analyst, caseId, input: addItemInput.parse({ itemType: "finding", refId: findingId }) });
  await addNote({ ctx: analyst, caseId, input: noteInput.parse({ body: NOTE }) });
  await addTask({ ctx: analyst, caseId, input: taskInput.parse({ title: "Ask the <b>owner</b>" }) });
  for (const status of ["investigating", "pending_review"] as const)
    await updateCase({ ctx: analyst, caseId, input: updateCaseInput.parse({ status }) });
  await updateCase({ ctx: reviewer, caseId, input: updateCaseInput.parse({ status: "closed" }) });
  sessionIds = (
    await pool().query<{ id: string }>(
      `SELECT DISTINCT s.id FROM session s WHERE s.id = $1 OR s.id = (SELECT "sessionId" FROM finding WHERE id = $2)`,
      [checked.rows[0].sessionId, findingId],
    )
  ).rows.map((x) => x.id);

  pkg = await exportTo("package");
}, 240_000);

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("report.html in the evidence package", () => {
  let html: string;
  beforeAll(() => {
    html = fs.readFileSync(path.join(pkg, "report.html"), "utf8");
  });

  it("holds the case title escaped, with no script and no raw control character", () => {
    expect(html).toContain(`<h1>Case #${caseNumber}: ${TITLE_HTML}</h1>`);
    expect(html).toContain(`<title>Case #${caseNumber}: ${TITLE_HTML}</title>`);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/[\r\u200B]/);
    expect(html).not.toContain("<img");
    expect(html).toContain("See &lt;img src=x onerror=&quot;alert(2)&quot;&gt;");
    expect(html).toContain("Ask the &lt;b&gt;owner&lt;/b&gt;");
    // Offline: nothing to fetch.
    expect(html).not.toMatch(/<[a-z][^>]*\s(src|href|srcset)\s*=/i);
    expect(html).not.toMatch(/url\(|@import|@font-face/i);
  });

  it("gives the session page's headline and four answers for each session of the case", async () => {
    expect(sessionIds.length).toBeGreaterThan(0);
    for (const id of sessionIds) {
      const s = (await getSession({ id, eventsLimit: 1 }))!;
      // The session page's headline too, word for word.
      expect(s.headline.length).toBeGreaterThan(0);
      for (const answer of [s.headline, ...Object.values(s.answers)]) {
        const escaped = answer
          .replace(/&/g, "&amp;")
          .replace(/</g, "&lt;")
          .replace(/>/g, "&gt;")
          .replace(/"/g, "&quot;")
          .replace(/'/g, "&#39;");
        expect(html, `session ${id}`).toContain(escaped);
      }
    }
    expect(html).toContain("Who initiated it?");
    expect(html).toContain("Which business objects changed?");
  });

  it("lists the finding with its status and dismissal, and the governance status", () => {
    expect(html).toContain("False positive");
    expect(html).toContain(DISMISS_REASON);
    expect(html).toContain("by ana@report.test");
    expect(html).toContain(CHECK_STATUS_LABEL[checkStatus]);
    expect(html).toMatch(/[1-9]\d* privileged actions? among the case's events/);
  });

  it("says who reviewed and when, and what the package is anchored to", async () => {
    expect(html).toContain("submitted the case for review");
    expect(html).toMatch(/rev@report\.test<\/td><td>reviewed and closed the case/);
    const manifest = JSON.parse(fs.readFileSync(path.join(pkg, "manifest.json"), "utf8"));
    expect(html).toContain(loadSigningKey()!.fingerprint);
    expect(html).toContain(manifest.checkpoint.rootHash);
    expect(html).toContain(`${manifest.checkpoint.treeSize.toLocaleString("en")} ledger records`);
    expect(html).toContain("<svg");
    expect(manifest.report.html).toBe("report.html");
  });
});

describe.skipIf(!hasChromium)(`report.pdf in the evidence package (skipped when ${NO_CHROMIUM})`, () => {
  it("exists, and its text holds the case title, a session's answer and the key fingerprint", async () => {
    const bytes = fs.readFileSync(path.join(pkg, "report.pdf"));
    expect(bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    const { text } = await extractText(await getDocumentProxy(new Uint8Array(bytes)), { mergePages: true });
    const flat = squash(text);
    expect(flat).toContain(`Case #${caseNumber}: ${TITLE_TEXT}`);
    const s = (await getSession({ id: sessionIds[0], eventsLimit: 1 }))!;
    expect(flat).toContain(squash(s.answers.identity));
    expect(flat).toContain(loadSigningKey()!.fingerprint);
    const manifest = JSON.parse(fs.readFileSync(path.join(pkg, "manifest.json"), "utf8"));
    expect(manifest.report.pdf).toBe("report.pdf");
    expect(manifest.files.map((f: { path: string }) => f.path)).toEqual(expect.arrayContaining(["report.html", "report.pdf"]));
  });
});

describe("without chromium", () => {
  it("the export still ships report.html, and the README and manifest say why report.pdf is missing", async () => {
    vi.stubEnv("SESSIONPROOF_CHROMIUM", "/nonexistent/chromium");
    try {
      const dir = await exportTo("no-chromium");
      expect(fs.existsSync(path.join(dir, "report.html"))).toBe(true);
      expect(fs.existsSync(path.join(dir, "report.pdf"))).toBe(false);
      const readme = fs.readFileSync(path.join(dir, "README.md"), "utf8");
      expect(readme).toContain("`report.pdf` is not in this package");
      expect(readme).toContain("Chromium was not found at /nonexistent/chromium");
      const manifest = JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8"));
      expect(manifest.report).toMatchObject({ pdf: null, pdfMissing: expect.stringContaining("/nonexistent/chromium") });
      // The download refuses the PDF with the reason and the way out, and still serves the HTML.
      await expectAppError(
        getCaseReport({ ctx: auditor, caseId, format: "pdf" }),
        "UNAVAILABLE",
        /not found at \/nonexistent\/chromium.*format=html/,
      );
      const alone = await getCaseReport({ ctx: auditor, caseId, format: "html" });
      expect(alone.contentType).toMatch(/^text\/html/);
      expect(alone.body.toString("utf8")).toContain("Downloaded on its own (not a verifiable package)");
    } finally {
      vi.unstubAllEnvs();
    }
  }, 120_000);
});

describe.skipIf(!hasChromium)(`the report downloaded on its own (skipped when ${NO_CHROMIUM})`, () => {
  it("is a PDF, recorded in the case history", async () => {
    const r = await getCaseReport({ ctx: auditor, caseId, format: "pdf" });
    expect(r.contentType).toBe("application/pdf");
    expect(r.fileName).toMatch(new RegExp(`^case-${caseNumber}-report-\\d{4}-\\d{2}-\\d{2}\\.pdf$`));
    const { text } = await extractText(await getDocumentProxy(new Uint8Array(r.body)), { mergePages: true });
    expect(squash(text)).toContain(TITLE_TEXT);
    const h = await pool().query(
      `SELECT after FROM case_activity WHERE "caseId" = $1 AND action = 'report_downloaded' ORDER BY at DESC LIMIT 1`,
      [caseId],
    );
    expect(h.rows[0].after).toMatchObject({ format: "pdf" });
  }, 120_000);
});
