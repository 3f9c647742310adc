// Facts the agent, the functions and the dashboard must agree on to reach each other.

/** The request header that carries an agent's key to ingestReport (never a query string: URLs get logged). */
export const AGENT_KEY_HEADER = 'X-Vigil-Key';

/** Where every Cloud Function runs, and so where the agent and the dashboard call them. */
export const FUNCTIONS_REGION = 'us-central1';
