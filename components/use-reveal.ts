"use client";

import { useEffect, useRef } from "react";

/**
 * For a panel opened by a button elsewhere on the page (the Ingest page's "review" and "show" links): when it opens,
 * or is pointed at another item, the page scrolls to it and keyboard focus moves to its heading (give the heading
 * tabIndex={-1}), so what was opened is what the person sees, and what a screen reader reads next.
 */
export function useRevealOnOpen<T extends HTMLElement>(key: string) {
  const ref = useRef<T>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.focus({ preventScroll: true });
    el.scrollIntoView({ block: "start", behavior: "instant" });
  }, [key]);
  return ref;
}
