import { createUserInput } from "./create-user";

export const createUserContract = { body: createUserInput };
