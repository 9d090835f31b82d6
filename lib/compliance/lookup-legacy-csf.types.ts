import { legacyCsfQuery } from "./lookup-legacy-csf";

export const lookupLegacyCsfContract = { query: legacyCsfQuery };
