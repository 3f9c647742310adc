import type { Metadata } from 'next';
import { DashboardPage } from '@/components/dashboard/dashboard-page';
import { OverviewScreen } from '@/components/overview/overview-screen';

export const metadata: Metadata = { title: 'Overview' };

export default function OverviewPage() {
  return (
    <DashboardPage>
      <OverviewScreen />
    </DashboardPage>
  );
}
