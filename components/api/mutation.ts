"use client";

import { useMutation, useQueryClient, type QueryKey } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { ApiError, errorMessage, errorSummary } from "./client";

export type ApiMutationOptions<V, R> = {
  mutationFn: (vars: V) => Promise<R>;
  /** Query keys whose data the change makes stale (from the resource modules' key factories). */
  invalidates?: readonly QueryKey[] | ((result: R, vars: V) => readonly QueryKey[]);
  /** Re-render the page's server components too: pages that read through lib/ on the server hold no query data. */
  refresh?: boolean;
  onSuccess?: (result: R, vars: V) => unknown;
};

/**
 * The one way a form or a button changes something through the API: busy state (isPending), the error as the
 * user should read it (errorMessage, errorSummary) with the API's per-field messages (fieldErrors); after
 * success the caller's onSuccess, then stale queries invalidated and the server page refreshed.
 */
export function useApiMutation<V = void, R = unknown>(options: ApiMutationOptions<V, R>) {
  const qc = useQueryClient();
  const router = useRouter();
  const { mutationFn, invalidates, refresh = false, onSuccess } = options;
  const mutation = useMutation<R, Error, V>({
    mutationFn,
    onSuccess: async (result, vars) => {
      await onSuccess?.(result, vars);
      // Awaited, so that the mutation stays pending until the stale queries hold fresh data.
      const keys = typeof invalidates === "function" ? invalidates(result, vars) : (invalidates ?? []);
      await Promise.all(keys.map((queryKey) => qc.invalidateQueries({ queryKey })));
      if (refresh) router.refresh();
    },
  });
  const error = mutation.error;
  return {
    ...mutation,
    errorMessage: error ? errorMessage(error) : null,
    errorSummary: error ? errorSummary(error) : null,
    fieldErrors: error instanceof ApiError ? (error.fields ?? {}) : ({} as Record<string, string[]>),
  };
}
