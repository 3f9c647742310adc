import type { Metadata } from 'next';
import { DashboardPage } from '@/components/dashboard/dashboard-page';
import { SettingsScreen } from '@/components/settings/settings-screen';

export const metadata: Metadata = { title: 'Settings' };

export default function SettingsPage() {
  return (
    <DashboardPage>
      <SettingsScreen />
    </DashboardPage>
  );
}
