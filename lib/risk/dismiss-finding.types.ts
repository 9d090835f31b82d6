import { findingIdParams } from "./get-finding.types";
import { dismissFindingInput, findingReasonInput } from "./types";

// Dismiss takes the kind of dismissal (false_positive / risk_accepted with an expiry) and the occurrences it covers.
export const dismissFindingContract = { params: findingIdParams, body: dismissFindingInput };
// Reopen and approve (a risk acceptance) take a reason.
export const changeFindingStatusContract = { params: findingIdParams, body: findingReasonInput };
