"use client";

import { useQuery } from "@tanstack/react-query";
import { z } from "zod";
import type { PurgeJobView } from "@/lib/retention/purge-expired";
import { apiFetch, send } from "./client";

export const retentionKeys = {
  all: ["retention"] as const,
  job: (id: string) => [...retentionKeys.all, "job", id] as const,
};

const purgeJob: z.ZodType<PurgeJobView> = z.object({
  id: z.string(),
  status: z.string(),
  progress: z.number(),
  message: z.string().nullable(),
  result: z
    .object({
      jobId: z.string(),
      purged: z.number(),
      held: z.number(),
      sources: z.array(z.object({ sourceId: z.string(), days: z.number(), cutoff: z.string(), purged: z.number(), held: z.number() })),
    })
    .nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});

export const isRunning = (job: PurgeJobView | null | undefined) => job?.status === "queued" || job?.status === "running";

/** A source's retention in days; null keeps its records forever. The answer is not read: the page refreshes. */
export const setRetentionDays = ({ sourceId, days }: { sourceId: string; days: number | null }) =>
  apiFetch(`/api/v1/retention/policies/${sourceId}`, z.unknown(), send("PUT", { days }));

export const startPurge = () => apiFetch("/api/v1/retention/purge", z.object({ jobId: z.string() }), send("POST"));

const fetchPurgeJob = (id: string) => apiFetch(`/api/v1/retention/jobs/${id}`, purgeJob);

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
