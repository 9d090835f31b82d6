"use client";

import { useQuery } from "@tanstack/react-query";
import type { z } from "zod";
import { uploadFileContract, type IngestResult } from "@/lib/ingest/ingest-stream.types";
import { listBatchesContract } from "@/lib/ingest/list-batches.types";
import { listDuplicatesContract, type ListDuplicatesQuery } from "@/lib/ingest/list-duplicates.types";
import { listQuarantineContract, reprocessQuarantineContract } from "@/lib/ingest/quarantine.types";
import { describePlatformsContract } from "@/lib/sources/describe-platforms.types";
import { apiFetch, ApiError, errorFromBody, itemsOf, parseResponse, send } from "./client";

// Answers are parsed by the routes' contracts (lib/ingest/*.types.ts, lib/sources/describe-platforms.types.ts).

export const ingestKeys = {
  all: ["ingest"] as const,
  platforms: () => [...ingestKeys.all, "platforms"] as const,
  batches: () => [...ingestKeys.all, "batches"] as const,
  quarantine: (batchId: string) => [...ingestKeys.all, "quarantine", batchId] as const,
  duplicates: (batchId: string, q: ListDuplicatesQuery) => [...ingestKeys.all, "duplicates", batchId, q] as const,
};

/** What the upload list shows of a file's batch. */
export type UploadResult = IngestResult;

const fetchPlatforms = () => apiFetch("/api/v1/ingest/platforms", itemsOf(describePlatformsContract.response));
const fetchBatches = () => apiFetch("/api/v1/ingest/batches", itemsOf(listBatchesContract.response));
const fetchQuarantine = (batchId: string) =>
  apiFetch(`/api/v1/ingest/quarantine?batchId=${encodeURIComponent(batchId)}`, listQuarantineContract.response);
const fetchDuplicates = (batchId: string, q: ListDuplicatesQuery) =>
  apiFetch(
    `/api/v1/ingest/batches/${encodeURIComponent(batchId)}/duplicates?${new URLSearchParams({
      sort: q.sort,
      dir: q.dir,
      offset: String(q.offset),
      limit: String(q.limit),
    }).toString()}`,
    listDuplicatesContract.response,
  );
export const reprocessQuarantine = (batchId: string) =>
  apiFetch(
    "/api/v1/ingest/quarantine/reprocess",
    reprocessQuarantineContract.response,
    send("POST", { batchId } satisfies z.input<typeof reprocessQuarantineContract.body>),
  );

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

/** One page of a batch's duplicates; the batch's previous page stays shown while the next one loads (never another batch's). */
export function useDuplicates(batchId: string, q: ListDuplicatesQuery) {
  return useQuery({
    queryKey: ingestKeys.duplicates(batchId, q),
    queryFn: () => fetchDuplicates(batchId, q),
    placeholderData: (previous, query) => (query?.queryKey[2] === batchId ? previous : undefined),
  });
}

// XMLHttpRequest, not fetch: it reports upload progress, so the bar moves while a multi-GB file streams.
export function uploadFile(file: File, platform: string, onProgress: (sent: number) => void, grantMapping?: string): Promise<UploadResult> {
  const url = "/api/v1/ingest/upload";
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.setRequestHeader("x-file-name", encodeURIComponent(file.name));
    if (platform) xhr.setRequestHeader("x-platform", platform);
    if (grantMapping) xhr.setRequestHeader("x-grant-mapping", encodeURIComponent(grantMapping));
    xhr.upload.onprogress = (e) => onProgress(e.loaded);
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // not JSON: the status decides below
      }
      try {
        if (xhr.status >= 200 && xhr.status < 300) resolve(parseResponse(url, uploadFileContract.response, xhr.status, body));
        else reject(errorFromBody(xhr.status, body));
      } catch (err) {
        reject(err);
      }
    };
    xhr.onerror = () => reject(new ApiError(0, "NETWORK", "The connection to the server was lost during the upload."));
    xhr.send(file);
  });
}
