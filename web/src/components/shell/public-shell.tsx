import { Flex } from '@chakra-ui/react';
import type { ReactNode } from 'react';
import { ColorModeToggle } from '../color-mode';
import { Brand } from './brand';
import { ShellFrame } from './shell-frame';

export function PublicShell({ children }: { children: ReactNode }) {
  return (
    <ShellFrame
      header={
        <Flex align="center" justify="space-between" px={{ base: '4', md: '6' }} py="3">
          <Brand />
          <ColorModeToggle />
        </Flex>
      }
    >
      {children}
    </ShellFrame>
  );
}
