import { governanceSettingsSchema } from "./settings";

// PUT /api/v1/governance/settings: any of the settings; the ones left out keep their value. Answers the effective
// settings after the change.
export const governanceSettingsInput = governanceSettingsSchema.partial().strict();

export const setGovernanceSettingsContract = { body: governanceSettingsInput, response: governanceSettingsSchema };
