// Which tiers `node scripts/test.mjs [TIER...]` runs and what each must have built first. Kept apart
// from the runner so the choice is tested without running anything.

/** In the order `npm test` runs them (fastest to fail first). */
export const TIERS = ['unit', 'deploy', 'host', 'outage', 'int', 'browser'];

/**
 * The builds, in build order: the functions build puts the agent bundle's SHA-256 into the install
 * command, so the agent comes first. `for`: the tiers that need it. The unit tier needs none
 * (agent/src/build.test.ts bundles the agent into a temp folder itself).
 */
export const BUILDS = [
  { name: 'build agent bundle', workspace: 'agent', for: ['deploy', 'host', 'outage', 'int', 'browser'] },
  { name: 'build functions', workspace: 'functions', for: ['deploy', 'outage', 'int', 'browser'] },
  { name: 'build dashboard', workspace: 'web', for: ['browser'] },
];

/** The tiers named on the command line (every tier when none is); throws on a name that is no tier. */
export function parseTiers(args) {
  const unknown = args.filter((tier) => !TIERS.includes(tier));
  if (unknown.length > 0) throw new Error(`unknown tier: ${unknown.join(', ')} (tiers: ${TIERS.join(', ')})`);
  return args.length > 0 ? TIERS.filter((tier) => args.includes(tier)) : [...TIERS];
}

/** The builds those tiers need, in build order, each once. */
export function buildsFor(tiers) {
  return BUILDS.filter((build) => build.for.some((tier) => tiers.includes(tier)));
}
