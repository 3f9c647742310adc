import type { Metadata } from 'next';
import { AgentsScreen } from '@/components/agents/agents-screen';
import { DashboardPage } from '@/components/dashboard/dashboard-page';

export const metadata: Metadata = { title: 'Agents' };

export default function AgentsPage() {
  return (
    <DashboardPage>
      <AgentsScreen />
    </DashboardPage>
  );
}
