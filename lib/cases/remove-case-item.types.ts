import { caseItemParams } from "./update-item-annotation.types";

export const removeCaseItemContract = { params: caseItemParams };
