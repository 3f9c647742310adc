// Facts the agent, the functions and the dashboard must agree on to reach each other.

/** The request header that carries an agent's key to ingestReport (never a query string: URLs get logged). */
export const AGENT_KEY_HEADER = 'X-Vigil-Key';

/** The request header that carries an enrollment token to enrollAgent (like the key, never in a URL). */
export const ENROLLMENT_TOKEN_HEADER = 'X-Vigil-Enrollment-Token';

/** Where every Cloud Function runs, and so where the agent and the dashboard call them. */
export const FUNCTIONS_REGION = 'us-central1';
