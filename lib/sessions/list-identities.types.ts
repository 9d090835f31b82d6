import { identitiesPage, identitiesQuery } from "./types";

// GET /api/v1/identities
export const listIdentitiesContract = { query: identitiesQuery, response: identitiesPage };
