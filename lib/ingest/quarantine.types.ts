import { quarantineFilter } from "./quarantine";

// The same filter selects what is listed, downloaded and re-processed.
export const listQuarantineContract = { query: quarantineFilter };
export const reprocessQuarantineContract = { body: quarantineFilter };
