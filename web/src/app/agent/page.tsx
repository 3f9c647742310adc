import type { Metadata } from 'next';
import { AgentScreen } from '@/components/agent-detail/agent-screen';
import { SignedInGate } from '@/components/session-gate/signed-in-gate';

export const metadata: Metadata = { title: 'Agent' };

export default function AgentPage() {
  return (
    <SignedInGate>
      <AgentScreen />
    </SignedInGate>
  );
}
