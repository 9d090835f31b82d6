import { expect } from "vitest";
import type { GovernanceCheckItem } from "../types";

const T = Date.parse("2026-11-24T10:00:00Z");
/** Minutes after the target-scope tests' start, as ISO 8601 (platform records). */
export const at = (min: number) => new Date(T + min * 60_000).toISOString();
/** The same instant as ServiceNow writes it ("2026-11-24 10:00:00", UTC). */
export const snAt = (min: number) =>
  at(min)
    .replace("T", " ")
    .replace(/\.\d+Z$/, "");

/**
 * A check approved by `ticketKey` whose ticket names the platform and `item`: in scope (the scope rule passes quoting
 * the item) when the item names the object acted on, else approval_unscoped ("… not what was acted on").
 */
export function expectItemScope(c: GovernanceCheckItem | undefined, ticketKey: string, item: string, inScope: boolean): void {
  expect(c, `no check for the event ${ticketKey} approves`).toBeDefined();
  expect(c!.approval?.ticketKey ?? c!.approvalRef).toBe(ticketKey);
  const scope = c!.checks.find((x) => x.rule === "scope")!;
  if (inScope) expect(scope).toMatchObject({ result: "pass", reason: expect.stringContaining(`("${item}")`) });
  else {
    expect(scope).toMatchObject({ result: "fail", status: "approval_unscoped", reason: expect.stringContaining("not what was acted on") });
    expect(c!.statuses).toContain("approval_unscoped");
  }
}
