import type { Metadata } from 'next';
import { DashboardPage } from '@/components/dashboard/dashboard-page';
import { EventsScreen } from '@/components/events/events-screen';

export const metadata: Metadata = { title: 'Events' };

export default function EventsPage() {
  return (
    <DashboardPage>
      <EventsScreen />
    </DashboardPage>
  );
}
