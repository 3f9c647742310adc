import type { Metadata } from 'next';
import { EnrollmentScreen } from '@/components/enrollment-page/enrollment-screen';
import { SignedInGate } from '@/components/session-gate/signed-in-gate';

export const metadata: Metadata = { title: 'Enrollment tokens' };

export default function EnrollmentPage() {
  return (
    <SignedInGate>
      <EnrollmentScreen />
    </SignedInGate>
  );
}
