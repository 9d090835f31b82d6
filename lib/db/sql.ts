// One way to build dynamic SQL: a tagged template whose interpolations become numbered parameters ($1, $2, ...)
// and whose nested fragments are spliced in, so a WHERE clause assembled from optional filters never puts user
// text into the statement. The result is a pg query config ({ text, values }): pass it to client.query(q), or to
// Prisma as $queryRawUnsafe(q.text, ...q.values). SQL text that is not a value (a sort column, a direction, a
// constant list) goes through raw(), and only ever from a whitelist in the code, never from input.

const PARAM = Symbol("sql.param");

/** A value that keeps one placeholder wherever it is interpolated (e.g. a LIKE pattern used by several arms). */
export type Param = { readonly [PARAM]: true; readonly value: unknown };

/** Wraps a value so that every interpolation of this object shares one placeholder. */
export function param(value: unknown): Param {
  return { [PARAM]: true, value };
}

function isParam(v: unknown): v is Param {
  return typeof v === "object" && v !== null && PARAM in v;
}

export class Sql {
  /** The statement text with $n placeholders. */
  readonly text: string;
  /** The parameter values, in placeholder order. */
  readonly values: unknown[];
  // Flattened pieces: strings.length === args.length + 1; args never hold a Sql (nested fragments are spliced).
  readonly #strings: string[];
  readonly #args: unknown[];

  constructor(strings: readonly string[], args: readonly unknown[]) {
    const outStrings = [strings[0]];
    const outArgs: unknown[] = [];
    args.forEach((arg, i) => {
      if (arg instanceof Sql) {
        const inner = arg.#strings;
        outStrings[outStrings.length - 1] += inner[0];
        outArgs.push(...arg.#args);
        outStrings.push(...inner.slice(1));
        outStrings[outStrings.length - 1] += strings[i + 1];
      } else {
        outArgs.push(arg);
        outStrings.push(strings[i + 1]);
      }
    });
    this.#strings = outStrings;
    this.#args = outArgs;

    const values: unknown[] = [];
    const seen = new Map<Param, number>();
    let text = outStrings[0];
    outArgs.forEach((arg, i) => {
      let n: number;
      if (isParam(arg)) {
        n = seen.get(arg) ?? values.push(arg.value);
        seen.set(arg, n);
      } else {
        n = values.push(arg);
      }
      text += `$${n}` + outStrings[i + 1];
    });
    this.text = text;
    this.values = values;
  }
}

/** The tag: `sql\`SELECT ... WHERE id = ${id}\``. A nested Sql is spliced in; anything else is a parameter. */
export function sql(strings: TemplateStringsArray, ...values: unknown[]): Sql {
  return new Sql(strings, values);
}

/** Trusted SQL text, spliced verbatim: only identifiers, keywords and constants chosen from a whitelist in code. */
export function raw(text: string): Sql {
  return new Sql([text], []);
}

/** The empty fragment. */
export const empty: Sql = raw("");

type Maybe = Sql | false | null | undefined | "";

/** The fragments that are present, separated by `separator` (trusted text, e.g. ", " or " UNION ALL "). */
export function join(parts: readonly Maybe[], separator = ", "): Sql {
  const kept = parts.filter((p): p is Sql => p instanceof Sql);
  if (kept.length === 0) return empty;
  return new Sql(["", ...kept.slice(1).map(() => separator), ""], kept);
}

function combine(parts: readonly Maybe[], op: "AND" | "OR", whenEmpty: string): Sql {
  const kept = parts.filter((p): p is Sql => p instanceof Sql);
  if (kept.length === 0) return raw(whenEmpty);
  if (kept.length === 1) return kept[0];
  return join(
    kept.map((p) => sql`(${p})`),
    ` ${op} `,
  );
}

/** The conditions that are present, joined by AND (each in parentheses); TRUE when there are none. */
export function and(...conditions: Maybe[]): Sql {
  return combine(conditions, "AND", "TRUE");
}

/** The conditions that are present, joined by OR (each in parentheses); FALSE when there are none. */
export function or(...conditions: Maybe[]): Sql {
  return combine(conditions, "OR", "FALSE");
}

/** `WHERE <conditions joined by AND>`, or nothing when no condition is present. */
export function where(...conditions: Maybe[]): Sql {
  return conditions.some((c) => c instanceof Sql) ? sql`WHERE ${and(...conditions)}` : empty;
}

/** The text with LIKE's wildcards and escape character escaped, so that it matches literally (default escape \). */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** A LIKE / ILIKE pattern matching the text literally: anywhere in the value (default), at its start or at its end. */
export function like(text: string, position: "contains" | "prefix" | "suffix" = "contains"): string {
  const t = escapeLike(text);
  return position === "prefix" ? `${t}%` : position === "suffix" ? `%${t}` : `%${t}%`;
}
