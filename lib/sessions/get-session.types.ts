import { z } from "zod";
import { sessionDetailQuery } from "./types";

export const getSessionContract = { params: z.object({ id: z.guid({ message: "not a session id" }) }), query: sessionDetailQuery };
