import { DataList } from '@chakra-ui/react';
import type { ReactNode } from 'react';

/** One labelled fact in a horizontal DataList (the agent page's host facts and health). */
export function FactItem({ label, children }: { label: string; children: ReactNode }) {
  return (
    <DataList.Item>
      <DataList.ItemLabel minW="36">{label}</DataList.ItemLabel>
      <DataList.ItemValue wordBreak="break-word" minW="0">
        {children}
      </DataList.ItemValue>
    </DataList.Item>
  );
}
