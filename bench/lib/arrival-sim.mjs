// Ingest's billed instance time for a fleet, simulated from when its reports arrive (issue #13).
// Request-based Cloud Run bills each instance while at least one request is in flight, every busy
// stretch rounded up to 100 ms; an instance serves up to `concurrency` requests at once on its
// vCPUs. So what a fleet costs depends on its arrival pattern, which is simulated here rather than
// assumed: one interval of the fleet's arrival times (each host reports once an interval, on the
// phase its agent follows), each call lasting the measured duration d and using c CPU-seconds.
//   - instances: Cloud Run's autoscaler averages CPU over a minute against its 60% target (and
//     concurrency against 60% of the maximum), so at each call k = max(1, ⌈CPU a second over the
//     minute before it / (vCPU × 0.6)⌉, ⌈requests in flight, the same / (concurrency × 0.6)⌉);
//   - calls go to those k instances in turn (the load balancer spreads them); `instances` is the
//     largest k;
//   - each instance's overlapping calls merge into busy stretches, each billed its length rounded up
//     to 100 ms, and never less than the CPU its calls used / vCPU (a saturated instance stretches).
// The interval wraps: the arrivals are periodic. Pure.
const CPU_TARGET = 0.6;

/** A seeded uniform generator (mulberry32): the simulated uniform fleets are the same every run. */
export function seeded(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}
const CONCURRENCY_TARGET = 0.6;
const MINUTE_S = 60;

/** Arrivals within any `span` seconds of the periodic interval, at the busiest moment. */
function busiestCount(sorted, intervalSeconds, span) {
  if (sorted.length === 0) return 0;
  if (span >= intervalSeconds) return sorted.length * (span / intervalSeconds);
  const doubled = [...sorted, ...sorted.map((t) => t + intervalSeconds)];
  let best = 0;
  let end = 0;
  for (let start = 0; start < sorted.length; start += 1) {
    while (end < doubled.length && doubled[end] < doubled[start] + span) end += 1;
    best = Math.max(best, end - start);
  }
  return best;
}

/** Billed seconds of one instance's calls (sorted start times), each lasting d with c CPU. */
function billedSeconds(starts, { d, c, vcpu, granularity, intervalSeconds }) {
  let billed = 0;
  let i = 0;
  while (i < starts.length) {
    const from = starts[i];
    let to = from + d;
    let calls = 0;
    while (i < starts.length && starts[i] <= to) {
      to = Math.max(to, starts[i] + d);
      calls += 1;
      i += 1;
    }
    const length = Math.max(to - from, (calls * c) / vcpu);
    billed += Math.ceil(length / granularity - 1e-9) * granularity;
  }
  // A stretch can run over the interval's end into the next one's first: billed once either way.
  return Math.min(billed, intervalSeconds);
}

/**
 * arrivals: seconds into the interval [0, intervalSeconds) of each host's report; returns billed
 * instance-seconds per second, the instances, and the busiest second's arrivals.
 */
export function simulateIngest({ arrivals, intervalSeconds, durationSeconds, cpuSecondsPerCall, vcpu, concurrency, granularitySeconds = 0.1 }) {
  const sorted = arrivals.map((t) => ((t % intervalSeconds) + intervalSeconds) % intervalSeconds).sort((a, b) => a - b);
  const d = Math.max(durationSeconds, 0);
  const minute = busiestCount(sorted, intervalSeconds, MINUTE_S);
  const instancesFor = (count) =>
    Math.max(
      1,
      Math.ceil((count * cpuSecondsPerCall) / MINUTE_S / (vcpu * CPU_TARGET) - 1e-9),
      Math.ceil((count * d) / MINUTE_S / (concurrency * CONCURRENCY_TARGET) - 1e-9),
    );
  // Each call goes to one of the instances the autoscaler keeps for the minute before it (its
  // trailing average), in turn; idle instances bill nothing, so only the spreading matters.
  const doubled = [...sorted.map((t) => t - intervalSeconds), ...sorted];
  const perInstance = new Map();
  let from = 0;
  let maxInstances = 1;
  sorted.forEach((t, index) => {
    const at = index + sorted.length;
    while (doubled[from] < t - MINUTE_S) from += 1;
    const k = intervalSeconds > MINUTE_S ? instancesFor(at - from) : instancesFor(sorted.length * (MINUTE_S / intervalSeconds));
    maxInstances = Math.max(maxInstances, k);
    const instance = index % k;
    if (!perInstance.has(instance)) perInstance.set(instance, []);
    perInstance.get(instance).push(t);
  });
  const instances = maxInstances;
  const options = { d, c: cpuSecondsPerCall, vcpu, granularity: granularitySeconds, intervalSeconds };
  const billed = [...perInstance.values()].reduce((sum, starts) => sum + billedSeconds(starts, options), 0);
  return {
    busy: billed / intervalSeconds,
    instances,
    busiestSecond: busiestCount(sorted, intervalSeconds, 1),
    busiestMinute: minute,
  };
}

/**
 * The arrival times of a fleet of `hosts` in workspaces of at most `perWorkspace` agents (the
 * default cap, MAX_AGENTS_PER_WORKSPACE), each on `phaseOf(workspaceId, agentId, interval, hosts)`:
 * the phase function ingest's replies follow (functions/src/ingest/report-phase.ts, its lanes from
 * the project's agent count, here the whole fleet), or none for the
 * uniform spread of agents without slots (their ±10 % jitter spreads them over the interval).
 */
export function fleetArrivals({ hosts, perWorkspace, intervalSeconds, phaseOf, random = Math.random }) {
  const arrivals = [];
  for (let index = 0; index < hosts; index += 1) {
    const workspaceId = `workspace-${Math.floor(index / perWorkspace)}`;
    arrivals.push(phaseOf ? phaseOf(workspaceId, `agent-${index}`, intervalSeconds, hosts) : random() * intervalSeconds);
  }
  return arrivals;
}
