import { governanceSettingsSchema } from "./settings";

// PUT /api/v1/governance/settings: any of the settings; the ones left out keep their value.
export const governanceSettingsInput = governanceSettingsSchema.partial().strict();

export const setGovernanceSettingsContract = { body: governanceSettingsInput };
