import type { Metadata } from 'next';
import { SignedInGate } from '@/components/session-gate/signed-in-gate';
import { MembersScreen } from '@/components/members-page/members-screen';

export const metadata: Metadata = { title: 'Members' };

export default function MembersPage() {
  return (
    <SignedInGate>
      <MembersScreen />
    </SignedInGate>
  );
}
