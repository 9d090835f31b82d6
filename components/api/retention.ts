"use client";

import { useQuery } from "@tanstack/react-query";
import type { z } from "zod";
import { getPurgeJobContract } from "@/lib/retention/get-purge-job.types";
import { setRetentionPolicyContract } from "@/lib/retention/set-retention-policy.types";
import { startPurgeContract } from "@/lib/retention/start-purge.types";
import type { PurgeJobView } from "@/lib/retention/types";
import { apiFetch, send } from "./client";

// Answers are parsed by the routes' contracts (lib/retention/*.types.ts).

export const retentionKeys = {
  all: ["retention"] as const,
  job: (id: string) => [...retentionKeys.all, "job", id] as const,
};

export const isRunning = (job: PurgeJobView | null | undefined) => job?.status === "queued" || job?.status === "running";

/** A source's retention in days; null keeps its records forever. The page refreshes after it. */
export const setRetentionDays = ({ sourceId, days }: { sourceId: string; days: number | null }) =>
  apiFetch(
    `/api/v1/retention/policies/${sourceId}`,
    setRetentionPolicyContract.response,
    send("PUT", { days } satisfies z.input<typeof setRetentionPolicyContract.body>),
  );

export const startPurge = () => apiFetch("/api/v1/retention/purge", startPurgeContract.response, send("POST"));

const fetchPurgeJob = (id: string) => apiFetch(`/api/v1/retention/jobs/${id}`, getPurgeJobContract.response);

/** The purge job, polled while it is queued or running. */
export function usePurgeJob(id: string | null, initial: PurgeJobView | null) {
  return useQuery({
    queryKey: retentionKeys.job(id ?? ""),
    queryFn: () => fetchPurgeJob(id!),
    enabled: id !== null,
    initialData: initial && initial.id === id ? initial : undefined,
    // A running job's state from the server render is already old: fetch it at once. A finished one is final.
    initialDataUpdatedAt: isRunning(initial) ? 0 : undefined,
    refetchInterval: (q) => (isRunning(q.state.data) ? 800 : false),
    retry: false,
  });
}
