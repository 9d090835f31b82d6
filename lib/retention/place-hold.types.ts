import { placeHoldInput } from "./types";

export const placeHoldContract = { body: placeHoldInput };
