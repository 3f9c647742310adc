// Memory tuning for the agent process, applied before anything else runs (main.ts imports this
// first). The agent wakes every few minutes for a short, I/O-bound tick: optimizing compilers
// (TurboFan, Maglev) buy it nothing, but one compilation job costs megabytes of peak RSS, and a
// young generation allowed to grow takes several more. These flags change only performance, never
// behaviour. Measured by bench/agent-collect.mjs: about 12 MiB less peak RSS per collection, the
// same CPU. Flags a V8 does not know would print an error, so they are gated by V8 version.
import v8 from 'node:v8';

const v8Major = Number(process.versions.v8.split('.')[0]);

export const V8_FLAGS = [
  '--no-opt',
  ...(v8Major >= 11 ? ['--no-maglev'] : []),
  // The baseline compiler too (V8 9.1+, so every Node the agent runs on): its machine code takes
  // pages of code space for functions a tick calls a few times. About 0.6 MiB of peak RSS, and no
  // more CPU (compiling cost as much as it saved).
  '--no-sparkplug',
  // New space stays at its initial size: more frequent, smaller scavenges.
  '--semi-space-growth-factor=1',
];

for (const flag of V8_FLAGS) v8.setFlagsFromString(flag);
