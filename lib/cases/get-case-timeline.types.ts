import { caseIdParams } from "./get-case.types";
import { timelineQuery } from "./types";

export const getCaseTimelineContract = { params: caseIdParams, query: timelineQuery };
