import { z } from "zod";

// ?format=pem answers with the PEM file itself; anything else with JSON (PEM and fingerprint).
export const getPublicKeyContract = { query: z.object({ format: z.string().optional() }) };
