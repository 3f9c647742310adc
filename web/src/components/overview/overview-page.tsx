'use client';

import { SignedInGate } from '../session-gate/signed-in-gate';
import { OverviewScreen, OverviewWarmup } from './overview-screen';

export function OverviewPage() {
  return (
    <SignedInGate warmup={(workspaceId) => <OverviewWarmup workspaceId={workspaceId} />}>
      <OverviewScreen />
    </SignedInGate>
  );
}
