import type { Metadata } from 'next';
import { SignedInGate } from '@/components/session-gate/signed-in-gate';
import { SolutionScreen } from '@/components/solution/solution-screen';

export const metadata: Metadata = { title: 'Solution' };

export default function SolutionPage() {
  return (
    <SignedInGate>
      <SolutionScreen />
    </SignedInGate>
  );
}
