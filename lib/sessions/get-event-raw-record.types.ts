import { z } from "zod";

export const getEventRawRecordContract = {
  params: z.object({ id: z.string().regex(/^[1-9][0-9]{0,17}$/, "not an event id") }),
};
