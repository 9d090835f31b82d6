"use client";

import { useQuery } from "@tanstack/react-query";
import { z } from "zod";
import type { IngestResult } from "@/lib/ingest/ingest-stream";
import type { BatchDto } from "@/lib/ingest/list-batches";
import type { QuarantinedDto, ReprocessResult } from "@/lib/ingest/quarantine";
import type { PlatformInfo } from "@/lib/sources/registry";
import { apiFetch, ApiError, errorFromBody, listOf, parseResponse, send } from "./client";

export const ingestKeys = {
  all: ["ingest"] as const,
  platforms: () => [...ingestKeys.all, "platforms"] as const,
  batches: () => [...ingestKeys.all, "batches"] as const,
  quarantine: (batchId: string) => [...ingestKeys.all, "quarantine", batchId] as const,
};

const platformInfo: z.ZodType<PlatformInfo> = z.object({ id: z.string(), label: z.string(), formats: z.array(z.string()) });

const batch: z.ZodType<BatchDto> = z.object({
  id: z.string(),
  fileName: z.string(),
  platform: z.string(),
  sourceName: z.string(),
  format: z.string().nullable(),
  via: z.string(),
  status: z.string(),
  byteSize: z.number().nullable(),
  bytesRead: z.number(),
  read: z.number(),
  stored: z.number(),
  duplicate: z.number(),
  quarantined: z.number(),
  resolvedLater: z.number(),
  error: z.string().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
});

const quarantined: z.ZodType<QuarantinedDto> = z.object({
  id: z.string(),
  batchId: z.string().nullable(),
  fileName: z.string(),
  position: z.number(),
  reason: z.string(),
  preview: z.string(),
  size: z.number(),
  createdAt: z.string(),
  reprocessedAt: z.string().nullable(),
  resolvedRawRecordId: z.string().nullable(),
});

const reprocessResult: z.ZodType<ReprocessResult> = z.object({
  attempted: z.number(),
  resolved: z.number(),
  stillQuarantined: z.number(),
  untrusted: z.number(),
});

/** What the upload list shows of a file's batch. */
export type UploadResult = Pick<
  IngestResult,
  "batchId" | "platform" | "read" | "stored" | "duplicate" | "quarantined" | "status" | "error"
>;
const uploadResult: z.ZodType<UploadResult> = z.object({
  batchId: z.string(),
  platform: z.string(),
  read: z.number(),
  stored: z.number(),
  duplicate: z.number(),
  quarantined: z.number(),
  status: z.enum(["completed", "failed"]),
  error: z.string().nullable(),
});

const fetchPlatforms = () => apiFetch("/api/v1/ingest/platforms", listOf(platformInfo));
const fetchBatches = () => apiFetch("/api/v1/ingest/batches", listOf(batch));
const fetchQuarantine = (batchId: string) =>
  apiFetch(
    `/api/v1/ingest/quarantine?batchId=${encodeURIComponent(batchId)}`,
    z.object({ items: z.array(quarantined), total: z.number() }),
  );
export const reprocessQuarantine = (batchId: string) =>
  apiFetch("/api/v1/ingest/quarantine/reprocess", reprocessResult, send("POST", { batchId }));

/** The platforms the server can read, with their formats. */
export function usePlatforms() {
  return useQuery({ queryKey: ingestKeys.platforms(), queryFn: fetchPlatforms });
}
export function useBatches() {
  return useQuery({ queryKey: ingestKeys.batches(), queryFn: fetchBatches });
}
export function useQuarantine(batchId: string) {
  return useQuery({ queryKey: ingestKeys.quarantine(batchId), queryFn: () => fetchQuarantine(batchId) });
}

// XMLHttpRequest, not fetch: it reports upload progress, so the bar moves while a multi-GB file streams.
export function uploadFile(file: File, platform: string, onProgress: (sent: number) => void): Promise<UploadResult> {
  const url = "/api/v1/ingest/upload";
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.setRequestHeader("x-file-name", encodeURIComponent(file.name));
    if (platform) xhr.setRequestHeader("x-platform", platform);
    xhr.upload.onprogress = (e) => onProgress(e.loaded);
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // not JSON: the status decides below
      }
      try {
        if (xhr.status >= 200 && xhr.status < 300) resolve(parseResponse(url, uploadResult, xhr.status, body));
        else reject(errorFromBody(xhr.status, body));
      } catch (err) {
        reject(err);
      }
    };
    xhr.onerror = () => reject(new ApiError(0, "NETWORK", "The connection to the server was lost during the upload."));
    xhr.send(file);
  });
}
