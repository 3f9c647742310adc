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

// What each function is given when deployed: functions/src/index.ts sets ingestReport's own (1 vCPU,
// 512 MiB); every other function has the 2nd-gen default, 256 MiB, which Cloud Run pairs with
// 0.167 vCPU. Restated here (a plain .mjs cannot import the TypeScript); keep in step with index.ts.
export const FUNCTION_RESOURCES = {
  ingestReport: { vcpu: 1, memoryGiB: 0.5 },
  default: { vcpu: 0.167, memoryGiB: 0.25 },
};

export const resourcesOf = (name) => (Object.hasOwn(FUNCTION_RESOURCES, name) ? FUNCTION_RESOURCES[name] : FUNCTION_RESOURCES.default);
