import type { Metadata } from 'next';
import { SignedInGate } from '@/components/session-gate/signed-in-gate';
import { EventsScreen } from '@/components/events/events-screen';

export const metadata: Metadata = { title: 'Events' };

export default function EventsPage() {
  return (
    <SignedInGate>
      <EventsScreen />
    </SignedInGate>
  );
}
