import { z } from "zod";
import { updateUserInput } from "./update-user";

export const updateUserContract = { params: z.object({ id: z.uuid("Not a user id.") }), body: updateUserInput };
