'use client';

import { DashboardPage } from '../dashboard/dashboard-page';
import { OverviewScreen, OverviewWarmup } from './overview-screen';

export function OverviewPage() {
  return (
    <DashboardPage warmup={(workspaceId) => <OverviewWarmup workspaceId={workspaceId} />}>
      <OverviewScreen />
    </DashboardPage>
  );
}
