import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { ingestStream, tooLargeMessage, type IngestResult, type IngestStreamInput } from "./ingest-stream";

/**
 * An upload or push body through the pipeline, within SESSIONPROOF_INGEST_MAX_BYTES: a declared length over the
 * limit is refused before anything is read (413), and a body that grows past it while streaming stops its batch
 * there, also answered with 413 (the records before the limit stay stored and count as duplicates next time).
 */
export async function ingestBody(input: IngestStreamInput): Promise<IngestResult> {
  const maxBytes = input.maxBytes ?? env().SESSIONPROOF_INGEST_MAX_BYTES;
  if (input.byteSize != null && input.byteSize > maxBytes) {
    input.input.destroy();
    throw new AppError(
      "TOO_LARGE",
      tooLargeMessage(
        `The file is ${input.byteSize.toLocaleString("en-US")} bytes, more than the ${maxBytes.toLocaleString("en-US")} bytes`,
      ),
    );
  }
  const result = await ingestStream({ ...input, maxBytes });
  if (result.limit === "size") throw new AppError("TOO_LARGE", `${result.error} (batch ${result.batchId})`);
  return result;
}
