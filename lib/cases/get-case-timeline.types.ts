import { caseIdParams } from "./get-case.types";
import { caseTimeline, timelineQuery } from "./types";

// GET /api/v1/cases/{id}/timeline
export const getCaseTimelineContract = { params: caseIdParams, query: timelineQuery, response: caseTimeline };
