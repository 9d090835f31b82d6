import { findingIdParams } from "./get-finding.types";
import { findingReasonInput } from "./types";

// Dismiss and reopen take the same reason.
export const changeFindingStatusContract = { params: findingIdParams, body: findingReasonInput };
