"use client";

import { useSyncExternalStore } from "react";
import { fmtTime } from "./format";

// Every time on screen follows one convention: written in UTC with its zone ("2026-12-07 21:30:05 UTC"), because
// audit evidence is compared across platforms and people; the viewer's local time is on hover (title). The local
// time is filled in once in the browser, so a page rendered on the server (whose zone is not the viewer's) hydrates
// without a mismatch.

/** The viewer's local time for an ISO instant, with the zone named ("Mon, 7 Dec 2026, 22:30:05 GMT+1"). */
export function localTimeTitle(iso: string, timeZone?: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  const local = new Intl.DateTimeFormat("en-GB", {
    weekday: "short",
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    timeZoneName: "short",
    ...(timeZone ? { timeZone } : {}),
  }).format(d);
  return `Your local time: ${local}`;
}

const noSubscription = () => () => {};

/** A time in UTC with the viewer's local time on hover; "—" (or `empty`) when there is none. */
export function Time({ iso, empty = "—" }: { iso: string | null | undefined; empty?: React.ReactNode }) {
  // false while rendering on the server and hydrating, true after: the server's zone is not the viewer's.
  const inBrowser = useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
  if (!iso) return <>{empty}</>;
  return (
    <time dateTime={iso} title={inBrowser ? localTimeTitle(iso) : undefined}>
      {fmtTime(iso)}
    </time>
  );
}
