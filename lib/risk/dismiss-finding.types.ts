import { findingIdParams } from "./get-finding.types";
import { dismissFindingInput, findingDismissed, findingReasonInput, findingReopened, riskAcceptanceApproved } from "./types";

// Dismiss takes the kind of dismissal (false_positive / risk_accepted with an expiry) and the occurrences it covers.
export const dismissFindingContract = { params: findingIdParams, body: dismissFindingInput, response: findingDismissed };
// Reopen and approve (a risk acceptance) take a reason.
export const reopenFindingContract = { params: findingIdParams, body: findingReasonInput, response: findingReopened };
export const approveRiskAcceptanceContract = { params: findingIdParams, body: findingReasonInput, response: riskAcceptanceApproved };
