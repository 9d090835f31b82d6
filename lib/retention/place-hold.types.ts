import { placedHold, placeHoldInput } from "./types";

// POST /api/v1/holds: 201 with the hold's id and scope.
export const placeHoldContract = { body: placeHoldInput, response: placedHold, created: true } as const;
