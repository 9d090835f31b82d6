import { describe, expect, it } from "vitest";
import { appGrantsSql } from "@/lib/db/app-role";
import type { CliIo } from "../command";
import { commands } from "../registry";
import { runCli } from "../run-cli";

function capture(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t) };
}

describe("npm run cli -- db grants", () => {
  it("prints the grants the start-up applies, in one transaction, for the role named, without a database", async () => {
    const io = capture();
    expect(await runCli({ argv: ["db", "grants", "--role", 'odd"name', "--schema", "sp"], commands, io })).toBe(0);
    const text = io.stdout.join("\n");
    const statements = text.split("\n").filter((l) => !l.startsWith("--"));
    expect(statements).toEqual(["BEGIN;", ...appGrantsSql('odd"name', "sp").map((s) => `${s};`), "COMMIT;"]);
    expect(text).toContain(`GRANT UPDATE ("payload", "purgedAt") ON "sp"."raw_record" TO "odd""name"`);
    expect(text).toMatch(/^-- .*CREATE ROLE odd"name LOGIN/m);
    expect(io.stderr).toEqual([]);
  });

  it("defaults to sessionproof_app on public, and refuses an unknown option", async () => {
    const io = capture();
    expect(await runCli({ argv: ["db", "grants"], commands, io })).toBe(0);
    expect(io.stdout.join("\n")).toContain(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "public" TO "sessionproof_app"`);
    const bad = capture();
    expect(await runCli({ argv: ["db", "grants", "--owner", "x"], commands, io: bad })).toBe(2);
  });
});
