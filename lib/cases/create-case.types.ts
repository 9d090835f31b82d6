import { createCaseInput } from "./types";

export const createCaseContract = { body: createCaseInput };
