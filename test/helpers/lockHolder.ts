/**
 * A child process for the lock tests: `node --import tsx test/helpers/lockHolder.ts DIR HOLD_MS`
 * waits for the lock on DIR, holds it HOLD_MS, releases it, and prints the times it held it
 * (`held START END`, milliseconds since the epoch). Not a test file itself.
 */
import {lockFolder} from "../../src/node/fs/lock.js";

const [dir, holdMs] = process.argv.slice(2);
const lock = await lockFolder(dir, {waitMs: 120_000});
const start = Date.now();
await new Promise((resolve) => setTimeout(resolve, Number(holdMs)));
const end = Date.now();
await lock.release();
process.stdout.write(`held ${start} ${end}\n`);
