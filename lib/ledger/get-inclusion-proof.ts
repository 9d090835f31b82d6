import { AppError } from "@/lib/errors";
import { getInclusionProofs, type RawRecordId } from "./get-inclusion-proofs";
import type { InclusionProof } from "./inclusion-proof";

// One record's inclusion proof against the latest checkpoint (or the given one). NOT_FOUND when the record does
// not exist; CONFLICT when no checkpoint covers it yet (it was appended after the latest one).
export async function getInclusionProof({
  rawRecordId,
  checkpointId,
}: {
  rawRecordId: RawRecordId;
  checkpointId?: RawRecordId;
}): Promise<InclusionProof> {
  const [result] = await getInclusionProofs({ rawRecordIds: [rawRecordId], checkpointId });
  if (result.status === "not-found") throw new AppError("NOT_FOUND", `no raw record ${rawRecordId}`);
  if (result.status === "not-covered") throw new AppError("CONFLICT", result.message);
  return result.proof;
}
