import type { Metadata } from 'next';
import { SignedInGate } from '@/components/session-gate/signed-in-gate';
import { SettingsScreen } from '@/components/settings-page/settings-screen';

export const metadata: Metadata = { title: 'Settings' };

export default function SettingsPage() {
  return (
    <SignedInGate>
      <SettingsScreen />
    </SignedInGate>
  );
}
