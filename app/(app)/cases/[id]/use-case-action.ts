"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { apiFetch } from "@/components/api-client";

// One way for the case page's controls to change the case: call the API, then re-render the server page so
// the header, items, history and timeline all show the recorded change.
export function useCaseAction<V>(request: (v: V) => { url: string; method: string; body?: unknown }) {
  const router = useRouter();
  return useMutation({
    mutationFn: (v: V) => {
      const r = request(v);
      return apiFetch<unknown>(r.url, { method: r.method, body: r.body === undefined ? undefined : JSON.stringify(r.body) });
    },
    onSuccess: () => router.refresh(),
  });
}
