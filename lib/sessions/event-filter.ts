import { userAgentName } from "./session-headline";
import type { SessionEvent } from "./types";

// The session page's filter over its events: every word of the query must appear (case-insensitively) in one of the
// event's visible columns: action, status, actor, source IP, client (app name or user agent) or target. Pure: the
// page's client component runs it over the loaded slice of events.

type Filterable = Pick<SessionEvent, "eventName" | "status" | "actorName" | "srcIp" | "client" | "userAgent" | "target">;

/** The client column of an event: the OAuth app, else the user agent's product name. */
export function eventClient(e: Pick<SessionEvent, "client" | "userAgent">): string | null {
  return e.client ?? (e.userAgent ? userAgentName(e.userAgent) : null);
}

export function matchesEventFilter(e: Filterable, query: string): boolean {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const text = [e.eventName, e.status, e.actorName, e.srcIp, e.client, e.userAgent, e.target]
    .filter((x): x is string => !!x)
    .join("\n")
    .toLowerCase();
  return words.every((w) => text.includes(w));
}
