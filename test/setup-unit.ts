import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll } from "vitest";

// Unit tests have no database: a test that reaches lib/db fails with this host name in its error, which says
// what to do (name the file *.db.test.ts). Keys and other data-folder files go to a throwaway folder.
process.env.DATABASE_URL = "postgresql://unit-tests-have-no-database--rename-the-file-to-x.db.test.ts.invalid/none";
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sessionproof-unit-data-"));
process.env.SESSIONPROOF_DATA_DIR = dataDir;

afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));
