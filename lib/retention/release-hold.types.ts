import { z } from "zod";
import { releasedHold, releaseHoldInput } from "./types";

export const releaseHoldContract = {
  params: z.object({ id: z.guid({ message: "not a hold id" }) }),
  body: releaseHoldInput,
  response: releasedHold,
};
