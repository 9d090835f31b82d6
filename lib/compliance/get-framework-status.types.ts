import { z } from "zod";

// The framework id is checked against the catalogs by requireFramework (a 404 names the known ones).
export const frameworkParams = z.object({ framework: z.string() });
export const getFrameworkStatusContract = { params: frameworkParams };
