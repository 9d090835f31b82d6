// No imports and no side effects: the test runners (scripts/lib/children.ts) use it without loading the embedded
// PostgreSQL module, whose exit hooks are meant for processes that run a database.

/** Whether a process with this pid exists (signal 0 checks without sending anything). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
