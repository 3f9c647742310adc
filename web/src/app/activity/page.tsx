import type { Metadata } from 'next';
import { SignedInGate } from '@/components/session-gate/signed-in-gate';
import { ActivityScreen } from '@/components/activity-page/activity-screen';

export const metadata: Metadata = { title: 'Activity' };

export default function ActivityPage() {
  return (
    <SignedInGate>
      <ActivityScreen />
    </SignedInGate>
  );
}
