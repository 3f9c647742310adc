import { displayKeyPrefix, paths } from '@vigil/schema';
import { FieldValue, type Firestore, type Transaction } from 'firebase-admin/firestore';
import { dashboardUrl, publicIngestUrl } from '../params.js';
import { ingestUrl } from '../firebase/runtime.js';
import { agentAssetHashes } from './agent-assets.js';
import { generateApiKey } from './api-keys.js';
import { newTicketSecret } from '../ingest/agent-ticket.js';
import { installCommand } from './install-command.js';

/** Writes a new agentKeys/{keyId} for an agent inside tx and returns what the caller sees once. */
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
    installCommand: installCommand({
      dashboardUrl: dashboardUrl.value(),
      ingestUrl: ingestUrl(publicIngestUrl.value()),
      key: generated.key,
      assets: agentAssetHashes(),
    }),
  };
}
