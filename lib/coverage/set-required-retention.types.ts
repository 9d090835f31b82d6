import { requiredRetentionInput } from "./types";

export const setRequiredRetentionContract = { body: requiredRetentionInput };
