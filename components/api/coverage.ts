"use client";

import type { z } from "zod";
import { setRequiredRetentionContract } from "@/lib/coverage/set-required-retention.types";
import { apiFetch, send } from "./client";

// Coverage is read by the server page; the client sets the organisation's required retention. An empty field is
// sent as null, so that the server's message says what to enter.
export const setRequiredRetention = (requiredRetentionDays: number | null) =>
  apiFetch(
    "/api/v1/coverage/settings",
    setRequiredRetentionContract.response,
    send("PUT", { requiredRetentionDays } satisfies z.input<typeof setRequiredRetentionContract.body>),
  );
