import type { Metadata } from 'next';
import { DashboardPage } from '@/components/dashboard/dashboard-page';
import { SolutionScreen } from '@/components/solution/solution-screen';

export const metadata: Metadata = { title: 'Solution' };

export default function SolutionPage() {
  return (
    <DashboardPage>
      <SolutionScreen />
    </DashboardPage>
  );
}
