import { requiredRetentionInput } from "./types";

// PUT /api/v1/coverage/settings: answers the setting as stored.
export const setRequiredRetentionContract = { body: requiredRetentionInput, response: requiredRetentionInput };
