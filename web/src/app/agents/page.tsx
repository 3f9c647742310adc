import type { Metadata } from 'next';
import { AgentsScreen } from '@/components/agent-list/agents-screen';
import { SignedInGate } from '@/components/session-gate/signed-in-gate';

export const metadata: Metadata = { title: 'Agents' };

export default function AgentsPage() {
  return (
    <SignedInGate>
      <AgentsScreen />
    </SignedInGate>
  );
}
