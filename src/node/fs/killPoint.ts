/**
 * Named points where a crash test can kill the process exactly: with `FMNIST_KILL_AT=NAME` in its
 * environment, the process sends itself SIGKILL on reaching that point (test/cli/exportFolder.test.ts
 * kills `fmnist export` between the two renames that swap an export folder, a window of
 * microseconds no timer can hit). Does nothing otherwise. Node only.
 */
export function killPoint(name: string): void {
  if (process.env.FMNIST_KILL_AT === name) process.kill(process.pid, "SIGKILL");
}
