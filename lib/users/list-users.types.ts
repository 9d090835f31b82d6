import { wholeListResult } from "@/lib/list-result";
import { userDto } from "./types";

// GET /api/v1/users: every user, disabled ones last.
export const listUsersContract = { response: wholeListResult(userDto) };
