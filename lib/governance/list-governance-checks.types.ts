import { checksQuery } from "./types";

export const listGovernanceChecksContract = { query: checksQuery };
