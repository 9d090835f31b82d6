import { describe, expect, it } from "vitest";
import { and, empty, escapeLike, join, like, or, param, raw, sql, where } from "./sql";

describe("sql", () => {
  it("numbers the interpolated values as parameters", () => {
    const q = sql`SELECT * FROM t WHERE a = ${1} AND b = ${"x"}`;
    expect(q.text).toBe("SELECT * FROM t WHERE a = $1 AND b = $2");
    expect(q.values).toEqual([1, "x"]);
  });

  it("splices nested fragments and renumbers their parameters", () => {
    const inner = sql`b = ${"x"} AND c = ${null}`;
    const q = sql`SELECT ${raw("id")} FROM t WHERE a = ${1} AND ${inner} LIMIT ${10}`;
    expect(q.text).toBe("SELECT id FROM t WHERE a = $1 AND b = $2 AND c = $3 LIMIT $4");
    expect(q.values).toEqual([1, "x", null, 10]);
  });

  it("never puts a value into the text, whatever it holds", () => {
    const evil = "'; DROP TABLE t; --";
    const q = sql`SELECT 1 WHERE a = ${evil}`;
    expect(q.text).not.toContain("DROP");
    expect(q.values).toEqual([evil]);
  });

  it("keeps one placeholder for a param() used several times", () => {
    const p = param("%x%");
    const q = sql`SELECT 1 WHERE ${1} = 1 AND (a ILIKE ${p} OR b ILIKE ${p}) AND c = ${"%x%"}`;
    expect(q.text).toBe("SELECT 1 WHERE $1 = 1 AND (a ILIKE $2 OR b ILIKE $2) AND c = $3");
    expect(q.values).toEqual([1, "%x%", "%x%"]);
  });

  it("keeps a shared param's placeholder across nested fragments", () => {
    const t = param("default");
    const q = sql`SELECT 1 WHERE ${sql`a = ${t}`} AND ${sql`b = ${2} AND c = ${t}`}`;
    expect(q.text).toBe("SELECT 1 WHERE a = $1 AND b = $2 AND c = $1");
    expect(q.values).toEqual(["default", 2]);
  });

  it("passes arrays and dates as single parameters", () => {
    const d = new Date(0);
    const q = sql`SELECT 1 WHERE id = ANY(${["a", "b"]}) AND at >= ${d}`;
    expect(q.text).toBe("SELECT 1 WHERE id = ANY($1) AND at >= $2");
    expect(q.values).toEqual([["a", "b"], d]);
  });
});

describe("and / or / where / join", () => {
  it("joins present conditions, skipping false, null, undefined and empty strings", () => {
    const q = and(sql`a = ${1}`, false, null, undefined, "", sql`b = ${2} OR c = ${3}`);
    expect(q.text).toBe("(a = $1) AND (b = $2 OR c = $3)");
    expect(q.values).toEqual([1, 2, 3]);
  });

  it("leaves a single condition unwrapped and answers TRUE / FALSE when there are none", () => {
    expect(and(sql`a = ${1}`).text).toBe("a = $1");
    expect(and().text).toBe("TRUE");
    expect(or(false).text).toBe("FALSE");
    expect(or(sql`a`, sql`b`).text).toBe("(a) OR (b)");
  });

  it("where() writes WHERE only when a condition is present", () => {
    expect(where(false, undefined).text).toBe("");
    expect(sql`SELECT 1 ${where(sql`a = ${1}`, sql`b`)}`.text).toBe("SELECT 1 WHERE (a = $1) AND (b)");
  });

  it("join() uses the separator between present fragments", () => {
    expect(join([sql`${1}`, false, sql`${2}`]).text).toBe("$1, $2");
    expect(join([raw("a"), raw("b")], " UNION ALL ").text).toBe("a UNION ALL b");
    expect(join([]).text).toBe("");
    expect(empty.values).toEqual([]);
  });
});

describe("like", () => {
  it("escapes LIKE's wildcards and its escape character", () => {
    expect(escapeLike(String.raw`50%_a\b`)).toBe(String.raw`50\%\_a\\b`);
    expect(like("a_b")).toBe(String.raw`%a\_b%`);
    expect(like("a%", "prefix")).toBe(String.raw`a\%%`);
    expect(like("x", "suffix")).toBe("%x");
  });
});
