// Facts the agent, the functions and the dashboard must agree on to reach each other.

/** The request header that carries an agent's key to ingestReport (never a query string: URLs get logged). */
export const AGENT_KEY_HEADER = 'X-Vigil-Key';

/** The request header that carries an enrollment token to enrollAgent (like the key, never in a URL). */
export const ENROLLMENT_TOKEN_HEADER = 'X-Vigil-Enrollment-Token';

/** Where every Cloud Function runs, and so where the agent and the dashboard call them. */
export const FUNCTIONS_REGION = 'us-central1';

/**
 * The request header that carries the agent's latest ticket (the `ticket` of ingestReport's last
 * reply) back to ingestReport: the agent document as ingest last wrote it, authenticated by the
 * server, so an instance that has not seen the agent needs no read (docs/architecture.md, "Ingest").
 * Opaque to the agent and the relay; never logged.
 */
export const AGENT_TICKET_HEADER = 'X-Vigil-Ticket';

/**
 * The longest ticket ingest issues (characters, base64url): a header, and Node's HTTP servers take
 * at most 16 KiB of headers in all (the functions runtime's and the relay's), so the key and the
 * rest keep 4 KiB. A larger agent document simply gets no ticket (its reports read it, as before).
 */
export const MAX_TICKET_CHARS = 12_288;

/**
 * A key rotation the agent carries out (docs/architecture.md, "Agent keys"). A pending key not used
 * within `pendingKeySeconds` of its fetch is refused (the old key stays: the next reply asks again);
 * fetchAgentKey issues at most one key per `minFetchSeconds` for an agent, so a looping caller
 * cannot pile up key documents.
 */
export const KEY_ROTATION = { pendingKeySeconds: 24 * 60 * 60, minFetchSeconds: 10 } as const;

/**
 * Where an agent behind a relay downloads the agent bundle an ingest reply offered: the relay
 * fetches it from the URL of the newest offer it passed on from its uplink (never a URL an agent
 * names), and the agent checks the SHA-256 of the offer as it does for a direct download.
 */
export const RELAY_BUNDLE_PATH = '/agent-bundle';
