// Realistic reports for a simulated fleet: one real collection by the agent's release bundle over
// every plugin's captured fixture (agent/fixtures, as bench/agent-collect.mjs runs it), then, per
// host and per report, what changes between a real host's reports: the hostname, the report id and
// time, the metrics (counters move every report), the agent's uptime, plugin durations; and now and
// then a test that starts or stops failing (kept until it flips back) or a configuration value that
// changes. A share of the hosts has one test failing from the start.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const PREFERRED_SCENARIOS = ['healthy', 'hardened', 'active', 'enforcing', 'enabled', 'running'];

/** One scenario per solution: the healthy one where the fixture has it. */
function fixtureArgs(fixturesDir) {
  const args = [];
  for (const id of readdirSync(fixturesDir).sort()) {
    const dir = path.join(fixturesDir, id);
    if (!statSync(dir).isDirectory()) continue;
    const scenarios = readdirSync(dir)
      .filter((name) => statSync(path.join(dir, name)).isDirectory())
      .sort();
    const scenario = PREFERRED_SCENARIOS.find((name) => scenarios.includes(name)) ?? scenarios.find((name) => name !== 'absent');
    if (scenario) args.push('--fixture', `${id}=${path.join(dir, scenario)}`);
  }
  return args;
}

/** Builds the agent bundle into `buildDir` and returns the report it collects over every fixture. */
export function collectFixtureReport(repoRoot, buildDir) {
  mkdirSync(buildDir, { recursive: true });
  const bundle = path.join(buildDir, 'vigil-agent.mjs');
  const built = spawnSync(process.execPath, [path.join(repoRoot, 'agent', 'build.mjs'), '--outfile', bundle], { encoding: 'utf8' });
  if (built.status !== 0 || !existsSync(bundle)) throw new Error(`agent build failed: ${built.stderr || built.stdout}`);
  const collected = spawnSync(process.execPath, [bundle, 'collect', '--json', ...fixtureArgs(path.join(repoRoot, 'agent', 'fixtures'))], {
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  if (collected.status !== 0) throw new Error(`agent collect failed: ${collected.stderr}`);
  return JSON.parse(collected.stdout);
}

/** A small deterministic PRNG (mulberry32): the same fleet and the same changes every run. */
export function prng(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const jitter = (value, random) =>
  Number.isInteger(value) ? value + Math.floor(random() * 3) : Math.round(value * (1 + (random() - 0.5) / 50) * 100) / 100;

/**
 * A simulated host. `next(nowIso)` is its next report; `changed` says whether it differs from the
 * previous one in more than metrics and times (a test's outcome or a configuration value).
 */
export function simulatedHost({ template, index, runId, changeRate, failingShare, seed = 1 }) {
  const random = prng(seed * 100_003 + index);
  const hostname = `fleet-${String(index).padStart(5, '0')}`;
  const solutions = structuredClone(template.solutions);
  const tests = solutions.flatMap((solution) => (solution.tests ?? []).map((test) => ({ solution, test })));
  const configs = solutions.flatMap((solution) =>
    Object.entries(solution.configuration ?? {})
      .filter(([, value]) => typeof value === 'number')
      .map(([key]) => ({ solution, key })),
  );
  const flip = ({ test }) => {
    test.passed = !test.passed;
    test.message = test.passed ? `${test.id}: ok again` : `${test.id}: failed on ${hostname}`;
  };
  if (tests.length && random() < failingShare) flip(tests[Math.floor(random() * tests.length)]);
  let seq = 0;
  let uptime = Math.floor(random() * 1e6);
  return {
    hostname,
    /** `force`: true makes this report a change, false keeps it unchanged, undefined leaves it to chance. */
    next(collectedAt, intervalSeconds, force) {
      seq += 1;
      uptime += intervalSeconds;
      let changed = false;
      if (seq > 1 && (force ?? random() < changeRate)) {
        changed = true;
        // Most changes are a test's outcome; one in five is a configuration value.
        if (configs.length && random() < 0.2) {
          const { solution, key } = configs[Math.floor(random() * configs.length)];
          solution.configuration[key] += 1;
        } else if (tests.length) {
          flip(tests[Math.floor(random() * tests.length)]);
        }
      }
      for (const solution of solutions) {
        for (const [key, value] of Object.entries(solution.metrics ?? {}))
          if (typeof value === 'number') solution.metrics[key] = jitter(value, random);
        for (const test of solution.tests ?? []) test.durationMs = Math.floor(random() * 40);
      }
      const report = {
        ...template,
        reportId: `${runId}-${hostname}-${String(seq).padStart(5, '0')}`,
        collectedAt,
        host: { ...template.host, hostname },
        solutions,
        agentHealth: {
          ...template.agentHealth,
          uptimeSeconds: uptime,
          plugins: (template.agentHealth?.plugins ?? []).map((plugin) => ({ ...plugin, durationMs: 40 + Math.floor(random() * 60) })),
        },
      };
      return { report: JSON.parse(JSON.stringify(report)), changed };
    },
  };
}
