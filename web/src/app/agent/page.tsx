import type { Metadata } from 'next';
import { AgentScreen } from '@/components/agent/agent-screen';
import { DashboardPage } from '@/components/dashboard/dashboard-page';

export const metadata: Metadata = { title: 'Agent' };

export default function AgentPage() {
  return (
    <DashboardPage>
      <AgentScreen />
    </DashboardPage>
  );
}
