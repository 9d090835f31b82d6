import { z } from "zod";

// The one list shape of the API, as a type and as a zod schema (for the route contracts, the client's fetchers and
// the OpenAPI description). Kept out of lib/api so that every layer's <verb>-<noun>.types.ts can use it, and free of
// server imports so that client components can too.

/**
 * Every list the API returns has this shape: `items`, plus `total` (how many match in all) when the list is
 * counted, and `offset` / `limit` (the window the items were cut from) when it is paged or cut by a limit.
 * Facets a page needs beside the items (e.g. counts by severity) sit next to these fields (`.extend`).
 */
export type ListResult<T> = { items: T[]; total?: number; offset?: number; limit?: number };

const count = z.number().int().min(0);

/** The schema of a ListResult of `item`. */
export function listResult<S extends z.ZodType>(item: S) {
  return z.object({ items: z.array(item), total: count.optional(), offset: count.optional(), limit: count.optional() });
}

/** A list returned whole: every item, counted. */
export function wholeListResult<S extends z.ZodType>(item: S) {
  return z.object({ items: z.array(item), total: count });
}

/** A list cut by a limit (the most recent n), not counted. */
export function limitedListResult<S extends z.ZodType>(item: S) {
  return z.object({ items: z.array(item), limit: count });
}

/** One page of a counted list: the items, the total, and the window. */
export function pageResult<S extends z.ZodType>(item: S) {
  return z.object({ items: z.array(item), total: count, offset: count, limit: count });
}
