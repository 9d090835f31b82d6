import { z } from "zod";
import { sessionDetail, sessionDetailQuery } from "./types";

// GET /api/v1/sessions/{id}: the session with one slice of its events.
export const getSessionContract = {
  params: z.object({ id: z.guid({ message: "not a session id" }) }),
  query: sessionDetailQuery,
  response: sessionDetail,
};
