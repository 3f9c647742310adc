// List prices the fleet benchmark prices its counts at. One table, with its date and source, also
// printed in bench/README.md ("Prices"). Change both together.
export const PRICES = {
  date: '2026-12-02',
  source:
    'Firestore: firebase.google.com/docs/firestore/pricing and cloud.google.com/firestore/pricing, multi-region nam5 (us-central); ' +
    'Cloud Functions 2nd gen: cloud.google.com/run/pricing, request-based billing, tier 1. The stored pages did not show the location ' +
    'table, so these are the long-standing list prices (the same since 2023), not read from the live page.',
  firestore: {
    readsPer100k: 0.06,
    writesPer100k: 0.18,
    deletesPer100k: 0.02,
    storagePerGiBMonth: 0.18,
  },
  cloudRun: {
    perVcpuSecond: 0.000024,
    perGiBSecond: 0.0000025,
    perMillionRequests: 0.4,
    /** Request-based billing rounds each request's instance time up to this. */
    billingGranularityMs: 100,
  },
};

// What each function is given when deployed, read from its options in functions/src/index.ts (the
// one home of that fact: `concurrency: 80, cpu: 1, memory: '2GiB'` on ingestReport); a function without its own has the
// 2nd-gen default, 256 MiB, which Cloud Run pairs with 0.167 vCPU.
// Cloud Run serves one request at a time on less than 1 vCPU, so the default is concurrency 1; a
// function with 1 vCPU or more defaults to 80 concurrent requests per instance.
const defaultConcurrency = (vcpu) => (vcpu >= 1 ? 80 : 1);
const DEFAULT_RESOURCES = { vcpu: 0.167, memoryGiB: 0.25, concurrency: 1 };

/** name -> { vcpu, memoryGiB, concurrency } for every export of index.ts that sets cpu, memory or concurrency. */
export function deployedResources(indexSource) {
  const out = {};
  for (const match of indexSource.matchAll(/export const (\w+) = on\w+\(\s*\{([^}]*)\}/g)) {
    const options = match[2];
    const cpu = /\bcpu:\s*([\d.]+)/.exec(options);
    const memory = /\bmemory:\s*'(\d+)(MiB|GiB)'/.exec(options);
    const concurrency = /\bconcurrency:\s*(\d+)/.exec(options);
    if (!cpu && !memory && !concurrency) continue;
    const vcpu = cpu ? Number(cpu[1]) : DEFAULT_RESOURCES.vcpu;
    out[match[1]] = {
      vcpu,
      memoryGiB: memory ? Number(memory[1]) / (memory[2] === 'MiB' ? 1024 : 1) : DEFAULT_RESOURCES.memoryGiB,
      concurrency: concurrency ? Number(concurrency[1]) : defaultConcurrency(vcpu),
    };
  }
  return out;
}

export const resourcesOf = (resources, name) => (Object.hasOwn(resources, name) ? resources[name] : DEFAULT_RESOURCES);
