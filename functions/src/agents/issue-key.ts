import { displayKeyPrefix, paths } from '@vigil/schema';
import { FieldValue, type Firestore, type Transaction } from 'firebase-admin/firestore';
import { generateApiKey } from './api-keys.js';
import { newTicketSecret } from '../ingest/agent-ticket.js';

/** Writes a new agentKeys/{keyId} for an agent inside tx and returns the key, which its caller hands only to the agent (enrollment or its own rotation fetch). */
export function issueKey(db: Firestore, tx: Transaction, workspaceId: string, agentId: string) {
  const generated = generateApiKey();
  tx.create(db.doc(paths.agentKey(generated.keyId)), {
    workspaceId,
    agentId,
    hash: generated.hash,
    // The HMAC key of this key's agent tickets (ingest/agent-ticket.ts): never leaves the server.
    ticketSecret: newTicketSecret(),
    createdAt: FieldValue.serverTimestamp(),
    revokedAt: null,
  });
  return {
    keyId: generated.keyId,
    keyPrefix: displayKeyPrefix(generated.keyId),
    key: generated.key,
  };
}
