import { identitiesQuery } from "./types";

export const listIdentitiesContract = { query: identitiesQuery };
