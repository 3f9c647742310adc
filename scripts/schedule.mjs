#!/usr/bin/env node
// `npm run schedule -- <name>`: runs one scheduled function now against the running stack
// (`npm start`, or any `node scripts/emulators.mjs exec`), inside the functions emulator, and prints
// its summary. Exit codes: 0 done; 1 the stack is not running or the run failed; 2 no or unknown name.
import { listSchedules, runScheduleNow, UnknownSchedule } from './lib/schedules.mjs';

const USAGE = 'usage: npm run schedule -- <name>';

async function main(args) {
  const [name, ...rest] = args;
  if (!name || rest.length > 0 || name.startsWith('-')) {
    let known = '';
    try {
      known = `\nschedules: ${(await listSchedules()).schedules.map((entry) => `${entry.name} (${entry.schedule})`).join(', ')}`;
    } catch {
      // Without the stack there is no list to show; the usage line still helps.
    }
    console.error(`${USAGE}${known}`);
    return 2;
  }
  try {
    const startedAt = Date.now();
    const result = await runScheduleNow(name);
    console.log(`${name} ran in ${((Date.now() - startedAt) / 1000).toFixed(1)} s: ${JSON.stringify(result)}`);
    return 0;
  } catch (error) {
    console.error(error.message);
    // StackNotRunning and a failed run are 1; a name the stack does not know is a usage error.
    return error instanceof UnknownSchedule ? 2 : 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
