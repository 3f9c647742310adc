// Every size limit of the protocol in one place. The ingest callable rejects anything larger before
// parsing, and the zod schemas enforce the rest, so one oversized report cannot bloat Firestore
// (1 MiB per document) or a dashboard page.
export const LIMITS = {
  /** Raw JSON size of one report as sent by the agent. */
  reportBytes: 256 * 1024,
  solutionsPerReport: 50,
  testsPerSolution: 100,
  errorsPerSolution: 20,
  configurationEntries: 200,
  metricsEntries: 200,
  listItems: 100,
  idLength: 64,
  /**
   * Characters of any document id a callable takes or paths.ts builds (schema/src/ids.ts): Firebase
   * Auth uids go up to 128; our auto ids are 20, event ids about 100.
   */
  documentIdLength: 128,
  keyLength: 128,
  shortText: 256,
  valueText: 2048,
  messageText: 2000,
  /** Plugin entries in a report's agentHealth (one per solution plugin the agent ran). */
  healthPlugins: 50,
  /** Characters of a crash's stack trace in agentHealth.lastCrash. */
  crashStackText: 8192,
  agentNameLength: 100,
  agentDescriptionLength: 500,
  workspaceNameLength: 100,
  /**
   * Bytes (as Firestore counts them) that an agent's `state/current` may take: well under Firestore's
   * 1 MiB, beside a current report of at most `reportBytes`. History detail gives way first.
   */
  agentStateBytes: 600 * 1024,
  /**
   * How far ahead of the server's receipt time a report's `collectedAt` may be (seconds). Beyond it
   * ingest clamps `collectedAt` to the receipt time, so a clock in the future cannot reorder history.
   */
  clockSkewSeconds: 300,
  /**
   * A report whose content did not change is still stored once this long after the agent's last
   * stored one (a checkpoint, seconds), so every agent that reports has a recent full report.
   */
  reportCheckpointSeconds: 24 * 3600,
  /**
   * Bytes (as Firestore counts them) that an agent document may take: it is written on every report
   * and listed by the agents page, so far below 1 MiB; its metrics history gives way first.
   */
  agentDocumentBytes: 128 * 1024,
} as const;
